"""Actor codes the event table accepts: ISO 3166-1 alpha-3 countries and a few non-state codes.

Non-state codes follow the Phoenix/CAMEO convention: `IGO` (intergovernmental organisation; which
one is in `actor`), `NGO`, `IMG` (international militarised group), `MNC` (multinational
company). `XKX` is the user-assigned code in common use for Kosovo, which ISO does not list.
"""

from __future__ import annotations

ISO3_COUNTRIES: frozenset[str] = frozenset(
    ["ABW", "AFG", "AGO", "AIA", "ALA", "ALB", "AND", "ARE", "ARG", "ARM", "ASM", "ATA", "ATF", "ATG", "AUS", "AUT", "AZE", "BDI", "BEL", "BEN", "BES", "BFA", "BGD", "BGR", "BHR", "BHS", "BIH", "BLM", "BLR", "BLZ", "BMU", "BOL", "BRA", "BRB", "BRN", "BTN", "BVT", "BWA", "CAF", "CAN", "CCK", "CHE", "CHL", "CHN", "CIV", "CMR", "COD", "COG", "COK", "COL", "COM", "CPV", "CRI", "CUB", "CUW", "CXR", "CYM", "CYP", "CZE", "DEU", "DJI", "DMA", "DNK", "DOM", "DZA", "ECU", "EGY", "ERI", "ESH", "ESP", "EST", "ETH", "FIN", "FJI", "FLK", "FRA", "FRO", "FSM", "GAB", "GBR", "GEO", "GGY", "GHA", "GIB", "GIN", "GLP", "GMB", "GNB", "GNQ", "GRC", "GRD", "GRL", "GTM", "GUF", "GUM", "GUY", "HKG", "HMD", "HND", "HRV", "HTI", "HUN", "IDN", "IMN", "IND", "IOT", "IRL", "IRN", "IRQ", "ISL", "ISR", "ITA", "JAM", "JEY", "JOR", "JPN", "KAZ", "KEN", "KGZ", "KHM", "KIR", "KNA", "KOR", "KWT", "LAO", "LBN", "LBR", "LBY", "LCA", "LIE", "LKA", "LSO", "LTU", "LUX", "LVA", "MAC", "MAF", "MAR", "MCO", "MDA", "MDG", "MDV", "MEX", "MHL", "MKD", "MLI", "MLT", "MMR", "MNE", "MNG", "MNP", "MOZ", "MRT", "MSR", "MTQ", "MUS", "MWI", "MYS", "MYT", "NAM", "NCL", "NER", "NFK", "NGA", "NIC", "NIU", "NLD", "NOR", "NPL", "NRU", "NZL", "OMN", "PAK", "PAN", "PCN", "PER", "PHL", "PLW", "PNG", "POL", "PRI", "PRK", "PRT", "PRY", "PSE", "PYF", "QAT", "REU", "ROU", "RUS", "RWA", "SAU", "SDN", "SEN", "SGP", "SGS", "SHN", "SJM", "SLB", "SLE", "SLV", "SMR", "SOM", "SPM", "SRB", "SSD", "STP", "SUR", "SVK", "SVN", "SWE", "SWZ", "SXM", "SYC", "SYR", "TCA", "TCD", "TGO", "THA", "TJK", "TKL", "TKM", "TLS", "TON", "TTO", "TUN", "TUR", "TUV", "TWN", "TZA", "UGA", "UKR", "UMI", "URY", "USA", "UZB", "VAT", "VCT", "VEN", "VGB", "VIR", "VNM", "VUT", "WLF", "WSM", "YEM", "ZAF", "ZMB", "ZWE"]
)

NON_STATE_CODES: frozenset[str] = frozenset({"IGO", "NGO", "IMG", "MNC", "XKX"})

ACTOR_CODES: frozenset[str] = ISO3_COUNTRIES | NON_STATE_CODES

SECTOR_CODES: frozenset[str] = frozenset(
    """
    GOV MIL REB OPP PTY COP JUD LEG SPY ELI UAF INS SEP RAD CVL PPL BUS MED EDU HLH LAB AGR ENV
    HRI REF DEV CRM MOD IGO NGO IMG MNC REL CHR MUS JEW BUD HIN
    """.split()
)
"""CAMEO/Phoenix agent codes: state (GOV MIL COP JUD LEG SPY ELI), opposition and armed
(REB OPP PTY UAF INS SEP RAD CRM), society (CVL PPL BUS MED EDU HLH LAB AGR ENV HRI REF DEV MOD),
organisations (IGO NGO IMG MNC) and religion (REL CHR MUS JEW BUD HIN)."""
