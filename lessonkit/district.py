"""The district's own details (the lessonkit_district block of _config.yml): which fields exist,
what the teacher edition's placeholder calls each one, and the plain words the student edition
uses for a field nobody has filled in. No Sphinx here, so `python -m lessonkit check` stays quick.
"""
from __future__ import annotations

from pathlib import Path

import yaml

# What each district field is, as the teacher edition's placeholder names it.
DISTRICT_FIELDS = {
    "school_name": "name of your school",
    "district_name": "name of your district",
    "counselor_name": "name of the school counselor",
    "counselor_contact": "how to reach the school counselor",
    "report_concern_locally": "how to report a concern at your school",
    "unit_contact": "who families contact about this unit",
}
DISTRICT_FIELDS_ES = {
    "school_name": "nombre de su escuela",
    "district_name": "nombre de su distrito",
    "counselor_name": "nombre del consejero o la consejera escolar",
    "counselor_contact": "cómo comunicarse con el consejero o la consejera escolar",
    "report_concern_locally": "cómo reportar una preocupación en su escuela",
    "unit_contact": "a quién contactar sobre esta unidad",
}
# What the student edition says for a field the district has not filled in: plain words, no
# placeholder. Each reads as the field itself would: a name, a way to reach someone, an instruction.
# A page that needs other words in one sentence writes {district}`its own words <field>`.
DISTRICT_DEFAULTS = {
    "en": {
        "school_name": "your school",
        "district_name": "your school district",
        "counselor_name": "the school counselor",
        "counselor_contact": "ask at the school office how to reach them",
        "report_concern_locally": "tell a teacher, the school counselor or someone in the school office",
        "unit_contact": "the school office",
    },
    "es": {
        "school_name": "su escuela",
        "district_name": "su distrito escolar",
        "counselor_name": "el consejero o la consejera escolar",
        "counselor_contact": "pregunte en la oficina de la escuela cómo comunicarse",
        "report_concern_locally": "dígaselo a un maestro o una maestra, al consejero o la consejera escolar o a "
                                  "alguien de la oficina de la escuela",
        "unit_contact": "la oficina de la escuela",
    },
}


def unset_district_fields(config_path: Path) -> tuple[list[str], list[str]]:
    """(fields with no value, unknown fields) of the lessonkit_district block in a _config.yml."""
    try:
        data = yaml.safe_load(Path(config_path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return list(DISTRICT_FIELDS), []
    block = ((data.get("sphinx") or {}).get("config") or {}).get("lessonkit_district") or {}
    block = block if isinstance(block, dict) else {}
    unset = [f for f in DISTRICT_FIELDS if not str(block.get(f) or "").strip()]
    return unset, sorted(str(f) for f in block if f not in DISTRICT_FIELDS)
