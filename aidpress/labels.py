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
    "how_to_read": "How to read your score",
    "lean_rule": "If your {option} total is at least {margin} more than every other total:",
    "lean_rule_two": "If your {option} total is at least {margin} more than the other total:",
    "otherwise": "Otherwise:",
    "step": "Step {n}",
    "go_to": "Go to step {n}",
    "go_to_outcome": "Go to box {n}",
    "on_page": "(page {n})",
    "box": "Box {n}",
    # a flowchart's branch as a screen reader reads it (the page shows the answer on the arrow)
    "branch_step": "{answer}: go to step {n}, {question}",
    "branch_box": "{answer}: go to box {n}, {outcome}",
    "branch_outcome": "{answer}: {outcome}",
    "urgent": "URGENT",
    "next_step": "Next:",
    "continued_next": "continued on next page",
    "continued_from": "continued from page {n}",
    "warning_mark": "⚠",
    "patient_details": "Your details",
    "empty_cell": "—",
    # a comparison cell much longer than its row's others: the rest is a note after the table
    "more_in_note": "(more in note {n})",
    "long_cell_note": "Note {n} — {option} · {aspect}:",
    "contents": "Contents",
    "blank_page": "This page is left blank on purpose.",  # a pack printed on both sides (--duplex)
    # quiz rule-outs (safety first)
    "rule_out_note": "If you ticked “{answer}”, talk to your practitioner before choosing {options}.",
    "or": "or",
    "rule_out_key": "Whatever your totals, an option you ruled out (⚠) is one to talk over with your "
                    "practitioner before choosing it.",
    # a quiz's red-flag question: asked first, never scored; a Yes stops the quiz
    "red_flag_action": "Stop here. Get medical help now.",
    "red_flag_if_no": "Go on to the questions.",
    "red_flag_key": "A “{answer}” to the first question: no score. Get medical help now.",
    # checklist warning sections: who to call
    "call_clinic": "Phone the clinic",
    "emergency": "In an emergency",
    # the values worksheet
    "your_options": "Your options",
    "values_heading": "What matters most to you?",
    "values_factor": "What matters to you",
    "values_weight": "How much it matters (0 = not at all, 5 = very much)",
    "values_points_to": "Which option it points to",
    "values_legend": "{letter} = {option}",
    # the SURE test (O'Connor & Légaré); item names in plain words, each keeping its letter of SURE
    "sure_heading": "Are you sure? The SURE test",
    "sure_intro": "Tick Yes or No for each question.",
    "sure_s": "Sure of myself",
    "sure_s_question": "Do you feel SURE about the best choice for you?",
    "sure_u": "Understand the facts",
    "sure_u_question": "Do you know the benefits and risks of each option?",
    "sure_r": "Risks and benefits that matter to me",
    "sure_r_question": "Are you clear about which benefits and risks matter most to you?",
    "sure_e": "Enough support",
    "sure_e_question": "Do you have enough support and advice to make a choice?",
    "yes": "Yes",
    "no": "No",
    "sure_rule": "If you answered “No” to any question, talk it over with your practitioner before deciding.",
    "sure_credit": "The SURE test © O’Connor & Légaré, 2008. Item names put in plain words.",
    # "your choice" (after the Ottawa Personal Decision Guide)
    "choice_heading": "Your choice: which way are you leaning?",
    "choice_not_sure": "Not sure yet",
    "choice_helpers": "Who else is helping you decide",
    "choice_pressure": "Is anyone pressing you towards one option?",
    "choice_pressure_who": "If yes, who",
    "choice_pressure_who_short": "Who",
    "choice_questions": "Your questions",
    "choice_next": "Your next step",
    "choice_by": "By (date)",
    # a comparison's cost row
    "our_price": "Our price: {fee}.",
    "ask_price": "Ask us for our price.",
    # about this leaflet (IPDAS trust items)
    "about_heading": "About this leaflet",
    "about_pack_heading": "About these leaflets",
    "written_by": "Written by:",
    "produced": "Produced:",
    "review_by": "Review by:",
    "funding": "Funding:",
    "conflicts": "Conflicts of interest:",
}


def labels_for(clinic) -> dict[str, str]:
    """aidpress's wording, with the clinic profile's replacements."""
    return {**LABELS, **clinic.labels}
