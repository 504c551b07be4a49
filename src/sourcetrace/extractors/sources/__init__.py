from .classify import MentionResolver, make_source_resolver, mention_resolver  # noqa: F401
