"""Fixed vocabularies shared by the schema, the directives and the generated pages."""

BANDS = ("3-5", "6-8", "9-12")
BAND_LABELS = {"3-5": "Grades 3–5", "6-8": "Grades 6–8", "9-12": "Grades 9–12"}
BAND_FOLDERS = {"3-5": "grades-3-5", "6-8": "grades-6-8", "9-12": "grades-9-12"}

TOPICS = ("healthy-relationships", "consent", "never-forward", "sextortion-pattern", "getting-help")
TOPIC_LABELS = {
    "healthy-relationships": "Healthy relationships",
    "consent": "Consent",
    "never-forward": "Never forward",
    "sextortion-pattern": "Spotting the pattern",
    "getting-help": "Getting help",
}

STAGES = ("approach", "coercion", "threat")
STAGE_LABELS = {"approach": "Approach", "coercion": "Coercion", "threat": "Threat"}

# Framework names without an edition: every registry entry carries its own `edition` (NHES has
# two in the registry, 2007 and SHAPE America's 2024 revision), and pages show name + edition.
FRAMEWORKS = {
    "NSES": "National Sex Education Standards",
    "CASEL": "CASEL 5 SEL competencies",
    "ISTE": "ISTE Standards for Students",
    "NHES": "National Health Education Standards",
    "ASCA": "ASCA Student Standards: Mindsets & Behaviors for Student Success",
}
# A registry entry is one published code (level: code) or a whole strand for one band (level: strand),
# used where no code in that strand could be verified; pages show a strand-level entry with this label.
STRAND_LEVEL_LABEL = "strand-level alignment: no indicator code verified"

FACILITATOR_KINDS = ("disclosure", "opt-out", "differentiation", "preparation", "safety", "general")

# Verbs that name something a teacher can see or hear a student do. Objectives that start
# with "understand", "know", "learn" or "appreciate" cannot be checked, so they are refused.
MEASURABLE_VERBS = frozenset(
    """
    analyze apply ask choose classify compare contrast create define demonstrate describe
    design develop distinguish evaluate explain give identify judge label list locate match
    name outline plan practice practise predict propose rank recall recognize rehearse
    respond role-play say select show sort state suggest summarize tell use write
    """.split()
)
