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


LANGUAGE = "en"  # the language of LABELS


class Wording(str):
    """Words that are aidpress's or the clinic's own, not the aid's: a label, or a clinic's
    address. It knows its language ("": not known), so a tagged handout can mark it when it
    differs from the aid's (/Lang: docs/accessibility.md). Formatting it with numbers, or
    adding punctuation, a number or words of its own language, keeps it Wording; anything
    else (an option's name, a question) makes a plain str, read in the aid's language."""

    lang: str = ""

    def __new__(cls, text: str, lang: str = ""):
        made = super().__new__(cls, text)
        made.lang = lang
        return made

    def __reduce__(self):
        return Wording, (str(self), self.lang)

    def _with(self, parts, text: str) -> str:
        return Wording(text, self.lang) if all(self._same(p) for p in parts) else text

    def _same(self, part) -> bool:
        if isinstance(part, Wording):
            return part.lang == self.lang
        return isinstance(part, (int, float)) or (isinstance(part, str) and not any(c.isalpha() for c in part))

    def format(self, *args, **kwargs) -> str:
        return self._with([*args, *kwargs.values()], str.format(self, *args, **kwargs))

    def __add__(self, other) -> str:
        return self._with([other], str.__add__(self, other))

    def __radd__(self, other) -> str:
        return self._with([other], str(other) + str(self))


def language_of(*texts) -> str:
    """The language shared by the texts given that have words (letters), when each of those
    is Wording; else "" (a phone number alone has no language)."""
    langs = {t.lang if isinstance(t, Wording) else "" for t in texts if t and any(c.isalpha() for c in t)}
    return langs.pop() if len(langs) == 1 else ""


def labels_for(clinic) -> dict[str, str]:
    """aidpress's wording, with the clinic profile's replacements: each a Wording of its
    language (a replacement's is the profile's `language`, "" when it gives none)."""
    words = {key: Wording(text, LANGUAGE) for key, text in LABELS.items()}
    words.update((key, Wording(text, clinic.language or "")) for key, text in clinic.labels.items())
    return words


def clinic_words(clinic, text: str | None) -> str | None:
    """A text of the clinic profile's own (its address, its emergency route), as Wording of
    the profile's `language` ("" when it gives none)."""
    return text and Wording(text, clinic.language or "")
