"""Where settings come from, and how a model is read from them with one clear line per mistake.

Every setting is a field of a pydantic-settings model (``bot/settings.py`` for the core,
``bot/cli/adapter_settings.py`` for the adapters), read as ``PAPERBOT_<FIELD>``. Its value comes
from, first to last: the environment; the settings file (``PAPERBOT_ENV_FILE``, or
``paperbot.env`` in the working directory when it exists); and for any variable, a
``PAPERBOT_<NAME>_FILE`` naming a file that holds the value (Docker and Kubernetes secrets).
Setting a variable and its ``_FILE`` both is refused, as ambiguous.

A mistake is a ``SettingsError`` whose message is one line naming the variable: the composition
root prints it and exits 78. Secrets are ``SecretStr`` fields, so neither a repr nor a message
shows them (validators never repeat a secret's value).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from dotenv import dotenv_values
from pydantic import ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

PREFIX = "PAPERBOT_"
FILE_SUFFIX = "_FILE"
ENV_FILE_SETTING = "PAPERBOT_ENV_FILE"
DEFAULT_ENV_FILE = Path("paperbot.env")  # in the working directory; read when it exists


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable and what it expects."""


class SettingsModel(BaseSettings):
    """One concern's settings. Built from keyword values only (tests build them directly);
    ``load`` supplies those from the gathered variables, through ``VariablesSource``."""

    model_config = SettingsConfigDict(
        env_prefix=PREFIX, frozen=True, extra="ignore", validate_by_name=True
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


Model = TypeVar("Model", bound=SettingsModel)


def variable(model: type[SettingsModel], name: str) -> str:
    """The environment variable a field is read from: its alias, or the model's prefix (such
    as ``PAPERBOT_SLACK_``) and its name."""
    alias = model.model_fields[name].validation_alias
    return alias if isinstance(alias, str) else model.model_config["env_prefix"] + name.upper()


def variables_of(model: type[SettingsModel]) -> list[str]:
    """Every variable a model reads, nested models' included (for the README's table)."""
    found: list[str] = []
    for name, info in model.model_fields.items():
        nested = _nested_model(info)
        found += variables_of(nested) if nested else [variable(model, name)]
    return found


def _nested_model(info: FieldInfo) -> type[SettingsModel] | None:
    kind = info.annotation
    return kind if isinstance(kind, type) and issubclass(kind, SettingsModel) else None


class VariablesSource(PydanticBaseSettingsSource):
    """pydantic-settings' source for a model over the gathered variables: each field's value
    when its variable is set and not blank (blank means the default, as unset)."""

    def __init__(self, settings_cls: type[SettingsModel], variables: Mapping[str, str]) -> None:
        super().__init__(settings_cls)
        self.model = settings_cls
        self.variables = variables

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        value = self.variables.get(variable(self.model, field_name), "")
        return (value if value.strip() else None), field_name, False

    def __call__(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, info in self.model.model_fields.items():
            nested = _nested_model(info)
            if nested is not None:
                values[name] = load(nested, self.variables)
                continue
            value, key, _ = self.get_field_value(info, name)
            if value is not None:
                values[key] = value
        return values


def load(model: type[Model], variables: Mapping[str, str]) -> Model:
    """``model`` from gathered variables; the first mistake as a one-line ``SettingsError``."""
    try:
        return model(**VariablesSource(model, variables)())
    except ValidationError as error:
        raise SettingsError(_one_line(model, error)) from None


def _one_line(model: type[SettingsModel], error: ValidationError) -> str:
    """The first problem, named by its variable. Validators word their own messages (which
    never repeat a secret); pydantic's own say what was expected, not the value."""
    first = error.errors(include_url=False, include_input=False)[0]
    cause = first.get("ctx", {}).get("error")
    text = str(cause) if isinstance(cause, ValueError) else first["msg"]
    if not first["loc"]:  # a rule across fields: its message names them
        return " ".join(text.split())
    name = str(first["loc"][0])
    named = name if name.startswith(PREFIX) else variable(model, name)
    return " ".join(f"{named} {text}".split())


def gather(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The ``PAPERBOT_*`` variables paperbot uses. ``None``: this process's environment, over
    ``PAPERBOT_ENV_FILE`` or ``./paperbot.env``. A mapping stands for a whole environment (tests):
    its settings file is read only when it names one. Then each ``*_FILE`` is read."""
    default = DEFAULT_ENV_FILE if environ is None else None
    environ = os.environ if environ is None else environ
    merged = {**_settings_file(environ, default), **_prefixed(environ)}
    for name in [n for n in merged if n.endswith(FILE_SUFFIX) and n != ENV_FILE_SETTING]:
        path = merged.pop(name).strip()
        target = name.removesuffix(FILE_SUFFIX)
        if not path:
            continue
        if merged.get(target, "").strip():
            raise SettingsError(f"Set {target} or {name}, not both")
        merged[target] = _read(name, Path(path)).strip()
    return merged


def _prefixed(values: Mapping[str, str | None]) -> dict[str, str]:
    return {k: v for k, v in values.items() if k.startswith(PREFIX) and v is not None}


def _settings_file(environ: Mapping[str, str], default: Path | None) -> dict[str, str]:
    named = environ.get(ENV_FILE_SETTING, "").strip()
    if named:
        path = Path(named)
        _read(ENV_FILE_SETTING, path)  # a file named but missing is a mistake, not a default
    elif default is not None and default.is_file():
        path = default
    else:
        return {}
    return _prefixed(dotenv_values(path, encoding="utf-8"))


def _read(setting: str, path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        why = getattr(error, "strerror", None) or "not UTF-8 text"
        raise SettingsError(
            f"{setting} names {str(path)!r}, which cannot be read ({why})"
        ) from None
