"""Characters that are never wanted in text the service stores or is asked.

Out: regular-expression character ranges, for building the patterns that drop or refuse
them. Ingestion drops them from articles; the API refuses questions holding them. Kept
here so both name the same characters.
"""

from __future__ import annotations

# The controls that turn the direction of writing (embeddings, overrides and isolates):
# they can make a quote or a question read other than it is.
DIRECTION_CONTROLS = "\u202a-\u202e\u2066-\u2069"
