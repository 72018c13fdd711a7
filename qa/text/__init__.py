"""Text analysis shared by every stage: sentences, terms, numbers and citation markers.

It imports nothing else from ``qa``: ingestion, retrieval, answering and citation
checking all read text the same way because they read it through this package.
"""
