"""Calling a language model: the request and result types (:mod:`.llm`), the Anthropic Messages API
client (:mod:`.anthropic`), recorded responses (:mod:`.replay`), the response cache (:mod:`.cache`)
and list prices (:mod:`.pricing`). Nothing here knows about deals or coaching."""
