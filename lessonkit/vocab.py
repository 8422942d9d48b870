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

FRAMEWORKS = {
    "NSES": "National Sex Education Standards, 2nd ed. (2020)",
    "CASEL": "CASEL 5 SEL competencies",
    "ISTE": "ISTE Standards for Students (2016)",
    "NHES": "National Health Education Standards (2007)",
}

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
