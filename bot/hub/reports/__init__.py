"""Reports for supervisors: each figure computed from what the hub stores, one module per section
(volume, containment, escalations, queue, agents, satisfaction, understanding), with the period in
local days, SVG charts, CSV exports and the backfill of older NLU readings."""
