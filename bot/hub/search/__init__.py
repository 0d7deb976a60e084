"""Full-text search over transcripts, internal notes, requests and contact fields (issue 27.8)."""
