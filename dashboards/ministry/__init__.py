"""The ministry's location: data, sections and the page."""
