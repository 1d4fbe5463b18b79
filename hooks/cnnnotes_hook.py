"""MkDocs hook: hand each build event to cnnnotes (all logic lives in ``cnnnotes.site.hook``)."""

from mkdocs.plugins import CombinedEvent, event_priority

from cnnnotes.site.failures import loading, one_line

with loading():  # a broken catalogue or case is one line, even while the package loads
    from cnnnotes.site import hook

on_config = one_line(hook.on_config)
on_files = event_priority(-200)(one_line(hook.on_files))  # after mkdocs-static-i18n (-100)
on_page_markdown = one_line(hook.on_page_markdown)
on_page_content = event_priority(-50)(one_line(hook.on_page_content))  # after glightbox (0)
on_page_context = event_priority(-200)(one_line(hook.on_page_context))  # after static-i18n (50)
on_post_page = event_priority(-200)(one_line(hook.on_post_page))
on_post_template = one_line(hook.on_post_template)  # the 404 page
on_post_build = CombinedEvent(
    event_priority(10)(one_line(hook.on_post_build)),  # before mkdocs-jupyter's eviction (0)
    event_priority(-200)(one_line(hook.on_post_build_last)),  # after static-i18n's last (-100)
)
