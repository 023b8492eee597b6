"""aidpress's own wording on every handout. A clinic profile may replace any of these
(`labels:` in clinic.yaml), e.g. to print handouts in another language; placeholders in
braces must be kept."""

LABELS = {
    "page": "Page {n} of {m}",
    "version": "Version {version}",
    "updated": "updated {date}",
    "clinic_blank": "Clinic: ____________________   Phone: ______________",
    "your_clinic": "Your clinic",
    "phone": "Phone",
    "sources": "Sources",
    "question": "Question",
    "your_answer": "Your answer",
    "points_for": "Points",
    "total": "Total — add up each column",
    "points_key": "Points: {awards}",
    "how_to_read": "How to read your score",
    "lean_rule": "If your {option} total is at least {margin} more than every other total:",
    "otherwise": "Otherwise:",
    "step": "Step {n}",
    "go_to": "Go to step {n}",
    "go_to_outcome": "Go to box {n}",
    "on_page": "(page {n})",
    "box": "Box {n}",
    "urgent": "URGENT",
    "next_step": "Next:",
    "continued_next": "continued on next page",
    "continued_from": "continued from page {n}",
    "warning_mark": "⚠",
    "patient_details": "Your details",
    "empty_cell": "—",
    "contents": "Contents",
}


def labels_for(clinic) -> dict[str, str]:
    """aidpress's wording, with the clinic profile's replacements."""
    return {**LABELS, **clinic.labels}
