"""The history pages' words for who made an entry (services/history.py)."""

from django import template

from corpus_app.services.history import history_actor

register = template.Library()

register.filter("history_actor", history_actor)
