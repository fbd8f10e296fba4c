from django import template

from cucs_portal.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render user-typed Markdown as sanitised HTML."""
    return render_markdown(text)
