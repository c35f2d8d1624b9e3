from django import template

register = template.Library()


@register.filter
def format_value(indicator, value):
    return indicator.format_value(value)


@register.filter
def signed_change(change, indicator):
    """+6.5 points, -120: a percentage's change is in percentage points, not percent."""
    if change is None:
        return ""
    number = f"{change:+,.1f}".removesuffix(".0") if indicator.unit != "count" else f"{change:+,.0f}"
    number = number.replace("-", "\u2212")
    return f"{number} points" if indicator.unit == "percent" else number
