"""A model's database constraints, checked on an unsaved row in Python, without a query.

Django checks a CheckConstraint by asking the database (`Q.check` runs a SELECT), a query per
constraint per row: a bulk import of a million rows cannot afford that. The conditions the corpus
models declare are simple lookups on the row's own fields, so they are evaluated here, on the
instance, with SQL's three-valued logic (a comparison with NULL is unknown, and a CHECK passes
unless its condition is false). A lookup this module does not know raises NotImplementedError
rather than passing silently; tests evaluate every model's constraints to keep that so.
"""

from functools import cache

from django.db.models import CheckConstraint, F, Q, UniqueConstraint

_COMPARISONS = {
    "exact": lambda a, b: a == b,
    "in": lambda a, b: a in b,
    "gte": lambda a, b: a >= b,
    "gt": lambda a, b: a > b,
    "lte": lambda a, b: a <= b,
    "lt": lambda a, b: a < b,
}


def _value(instance, name):
    return getattr(instance, instance._meta.get_field(name).attname)


def _lookup(instance, key: str, expected):
    name, _, lookup = key.partition("__")
    actual = _value(instance, name)
    if isinstance(expected, F):
        expected = _value(instance, expected.name)
    if lookup == "isnull":
        return (actual is None) == expected
    if actual is None or expected is None:
        return None
    compare = _COMPARISONS.get(lookup or "exact")
    if compare is None:
        raise NotImplementedError(f"Lookup {key!r} of a constraint on {type(instance).__name__} is not evaluated here.")
    return compare(actual, expected)


def condition_holds(condition: Q, instance):
    """True, False or None (unknown, as SQL's NULL) for `condition` on the instance's values."""
    results = [
        condition_holds(child, instance) if isinstance(child, Q) else _lookup(instance, *child)
        for child in condition.children
    ]
    if condition.connector == Q.AND:
        value = False if False in results else (None if None in results else True)
    else:
        value = True if True in results else (None if None in results else False)
    return value if value is None or not condition.negated else not value


def check_constraint_errors(instance) -> list[str]:
    """The violation messages of every CheckConstraint of the instance's model that its values break."""
    return [
        constraint.get_violation_error_message()
        for constraint in instance._meta.constraints
        if isinstance(constraint, CheckConstraint) and condition_holds(constraint.condition, instance) is False
    ]


@cache
def unique_keys(model) -> list[tuple[tuple[str, ...], Q | None, str]]:
    """(fields, condition, message) of every uniqueness rule of `model`: unique fields and UniqueConstraints."""
    keys = [
        ((field.name,), None, f"Another {model._meta.verbose_name} already has this {field.verbose_name}.")
        for field in model._meta.concrete_fields
        if field.unique and not field.primary_key
    ]
    for constraint in model._meta.constraints:
        if isinstance(constraint, UniqueConstraint):
            message = constraint.get_violation_error_message()
            if constraint.violation_error_message == constraint.default_violation_error_message:
                message = f"Another {model._meta.verbose_name} has the same {', '.join(constraint.fields)}."
            keys.append((tuple(constraint.fields), constraint.condition, message))
    return keys


def unique_key_value(instance, fields, condition):
    """The values the instance holds for a uniqueness rule, or None when the rule does not apply to it."""
    if condition is not None and condition_holds(condition, instance) is not True:
        return None
    values = tuple(_value(instance, name) for name in fields)
    return None if None in values else values
