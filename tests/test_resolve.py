"""The one resolver: a pronoun or a description means the same entity to quotes and to events.

Texts are written for these tests and run through the real NLP stage (model, entity resolution,
quotes, events), as a load would."""

from __future__ import annotations

import polars as pl
import pytest

from transforms import pipeline
from transforms.ingest import RawRecord
from transforms.resolve import short_name_owner

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def annotate(nlp):
    def run(text: str) -> tuple[list[dict], list[dict]]:
        rec = RawRecord(source_uri="test#1", kind="jsonl", text=text, fields={"published": "2024-05-01"})
        articles, _ = pipeline.build_articles([rec])
        articles = articles.with_columns(pl.lit(None, dtype=pl.String).alias("duplicate_of"),
                                         pl.col("article_id").alias("story_id"))
        frames = pipeline.annotate(articles, nlp)
        names = dict(frames["entities"].select("entity_id", "canonical_name").iter_rows())
        quotes = [{**q, "speaker": names.get(q["speaker_entity_id"])} for q in frames["quotes"].iter_rows(named=True)]
        events = [{**e, "actor": names.get(e["actor_entity_id"]), "recipient": names.get(e["recipient_entity_id"])}
                  for e in frames["events"].iter_rows(named=True)]
        return quotes, events
    return run


def _event(events: list[dict], event_type: str) -> dict:
    hits = [e for e in events if e["event_type"] == event_type]
    assert len(hits) == 1, events
    return hits[0]


def test_he_in_one_sentence_is_the_same_person_for_the_quote_and_the_event(annotate):
    quotes, events = annotate("Nicolás Maduro received Gustavo Petro in Caracas on Monday. He said Colombia had "
                              "closed the border, and he accused Colombia of smuggling.")
    # what he said, and the accusation (a statement too): both his
    assert [(q["cue"], q["speaker"]) for q in quotes] == [("say", "Nicolás Maduro"), ("accuse", "Nicolás Maduro")]
    accuse = _event(events, "ACCUSE")
    assert accuse["actor"] == "Nicolás Maduro" and accuse["recipient"] == "Colombia"


def test_she_agrees_in_gender_with_her_antecedent(annotate):
    quotes, events = annotate("Argentine President Javier Milei met Foreign Minister Diana Mondino in Buenos Aires. "
                              "She told reporters the talks went well, and she criticised Chile for its stance.")
    assert [(q["cue"], q["speaker"]) for q in quotes] == [("tell", "Diana Mondino"), ("criticise", "Diana Mondino")]
    assert _event(events, "ACCUSE")["actor"] == "Diana Mondino"


def test_he_skips_a_woman_named_last(annotate):
    quotes, events = annotate("Boris Johnson met Theresa May in Downing Street. He said she had been gracious, and "
                              "he criticised the European Union.")
    assert [q["speaker"] for q in quotes] == ["Boris Johnson"]
    assert _event(events, "ACCUSE")["actor"] == "Boris Johnson"


def test_the_president_is_the_person_introduced_as_president(annotate):
    quotes, events = annotate("Kenyan President William Ruto hosted Ethiopian Prime Minister Abiy Ahmed in Nairobi on "
                              "Tuesday. The president said the region needed peace, and the president urged Ethiopia "
                              "to withdraw its troops.")
    # two statements (what he said, and what he urged Ethiopia to do), both by the president
    assert [(q["cue"], q["speaker"]) for q in quotes] == [("say", "William Ruto"), ("urge", "William Ruto")]
    request = _event(events, "REQUEST")
    assert request["actor"] == "William Ruto" and request["recipient"] == "Ethiopia"


def test_a_qualified_role_picks_the_matching_holder(annotate):
    quotes, _ = annotate("Foreign Minister Ana Ruiz met Prime Minister Carlos Vega in Lima. The foreign minister said "
                         "the visit was useful.")
    assert [q["speaker"] for q in quotes] == ["Ana Ruiz"]
    quotes, _ = annotate("Foreign Minister Ana Ruiz met Prime Minister Carlos Vega in Lima. The prime minister said "
                         "the visit was useful.")
    assert [q["speaker"] for q in quotes] == ["Carlos Vega"]


def test_an_object_pronoun_is_not_its_own_clause_subject(annotate):
    _, events = annotate("Nicolás Maduro said Gustavo Petro had accused him of lying.")
    accuse = _event(events, "ACCUSE")
    assert accuse["actor"] == "Gustavo Petro" and accuse["recipient"] == "Nicolás Maduro"


def test_a_short_name_goes_to_the_namesake_named_most_then_first():
    assert short_name_owner("vargas", [("elena vargas", 0)]) == "elena vargas"
    assert short_name_owner("vargas", [("tomas vargas", 0), ("elena vargas", 40), ("elena vargas", 90)]) \
        == "elena vargas"
    assert short_name_owner("vargas", [("tomas vargas", 0), ("elena vargas", 40)]) == "tomas vargas"


def test_gender_from_the_texts_own_pronouns_keeps_she_off_a_man(annotate):
    # "Robin" is given to either gender; "said he" tells which
    quotes, _ = annotate("Robin Hale said he would resign in June. Robin Hale met Anne Carter on Monday. She said the "
                         "meeting had been short.")
    assert [q["speaker"] for q in quotes] == ["Robin Hale", "Anne Carter"]


def test_a_description_is_not_a_person_introduced_with_another_role(annotate):
    quotes, _ = annotate("Political correspondent Glenn Marsh said the report was late. The agency spokeswoman said "
                         "the report would follow within a week.")
    assert [q["speaker"] for q in quotes] == ["Glenn Marsh", None]


def test_an_unnamed_speaker_keeps_the_next_pronoun_from_an_earlier_person(annotate):
    # the NER may miss a name; "she" then has no entity rather than the wrong one
    quotes, _ = annotate("Minister Helen Dorsey opened the debate. A spokeswoman for the opposition told reporters the "
                         "plans were inadequate. She said the party would vote against them.")
    assert [q["speaker"] for q in quotes] == [None, None]



def test_the_prime_minister_is_not_the_deputy_prime_minister(annotate):
    quotes, _ = annotate("Deputy Prime Minister John Prescott opened the debate on Monday. Tony Blair spoke "
                         "later.\n\n\"We will win this argument,\" the prime minister said.")
    assert [q["speaker"] for q in quotes if "win this argument" in q["quote_text"]] == ["Tony Blair"]


def test_he_after_a_sentence_is_its_main_subject_not_a_pronoun_inside_it(annotate):
    quotes, _ = annotate("Jack Law said young people drank too much. Gordon Brown said that Jack McConnell "
                         "should know by now that if he said things which were off the mark, they were bound to come "
                         "back and bite him. He added: \"Every word was put out on a webcast.\"")
    assert [q["speaker"] for q in quotes if "webcast" in q["quote_text"]] == ["Gordon Brown"]


def test_a_titled_office_is_not_someone_the_text_gave_another_role(annotate):
    quotes, _ = annotate("Holyrood leader Nicola Sturgeon wrote to Jack McConnell on Tuesday, accusing him of an "
                         "error of judgement. In a furious response, the first minister said his comments had been "
                         "taken out of context.")
    assert [q["speaker"] for q in quotes if "out of context" in q["quote_text"]] == ["Jack McConnell"]


def test_the_shadow_minister_is_not_the_minister_nor_given_a_title_across_a_verb(annotate):
    # "The shadow chancellor said Mr Okafor ...": the title is the subject's, not Mr Okafor's
    quotes, _ = annotate("Chancellor Daniel Okafor presented the budget on Monday. But Ruth Abernathy, for the "
                         "Tories, attacked the figures. The shadow chancellor said Mr Okafor had "
                         "\"lost control of the public purse\".")
    assert [q["speaker"] for q in quotes if "public purse" in q["quote_text"]] == ["Ruth Abernathy"]


def test_a_role_written_after_the_name_is_the_persons_role(annotate):
    quotes, _ = annotate("Tony Blair met Gordon Brown on Monday. Former welfare minister Frank Field MP criticised "
                         "the rivalry between the pair.\n\n\"What sort of model does it give to the nation?\" the "
                         "Labour MP for Birkenhead asked. He said the prime minister should sack Mr Brown.")
    assert {q["speaker"] for q in quotes} == {"Frank Field"}


def test_a_lead_that_credits_a_minister_is_the_person_the_next_sentence_names(annotate):
    quotes, _ = annotate("Farmers should expect smaller subsidies from next year, a Treasury minister has said.\n\n"
                         "Helen Marchetti said the budget could not grow. Officials agreed.")
    assert [q["speaker"] for q in quotes if "subsidies" in q["quote_text"]] == ["Helen Marchetti"]
    quotes, _ = annotate("Taxes will rise next year, a senior Labour MP has warned.\n\n"
                         "The warning came as Gordon Brown said he would not change course.")
    assert [q["speaker"] for q in quotes if "Taxes" in q["quote_text"]] == [None]


def _speaker_of(quotes: list[dict], words: str) -> str | None:
    """The speaker of the one statement holding these words."""
    return next(q for q in quotes if words in q["quote_text"])["speaker"]


def test_a_speaker_is_no_name_in_the_speech_before_him(annotate):
    quotes, _ = annotate("The premier's zeal for the job remains, Tomas Varga, the party's strategist, told a radio "
                         "station on Saturday. Mr Quell has \"the same passion for the job\" as in 1997, he said.")
    assert _speaker_of(quotes, "passion") == "Tomas Varga"


def test_a_role_is_not_read_from_a_phrase_across_a_preposition_or_a_conjunction(annotate):
    quotes, _ = annotate("Arthur Penn made an appeal for unity after reports said Mr Quell broke a pledge.\n\n"
                         "The chancellor would not comment, but insisted he would not be \"distracted\". Mr Quell "
                         "had planned to make way for Mr Penn. The prime minister and Mr Penn met later.")
    assert _speaker_of(quotes, "distracted") == "Arthur Penn"


def test_a_person_named_after_a_title_at_the_end_of_the_subject_speaks(annotate):
    quotes, _ = annotate("The director of the Victims of Fraud Trust, Norma Belling, accused the court of contempt. "
                         "Shadow leader of the Commons Oskar Hadley said the plan was a shambles. A spokesman for "
                         "Prime Minister Ada Trelawny said the talks were over.")
    by_cue = {q["quote_text"][:12]: q for q in quotes}
    assert by_cue["the court of"]["speaker"] == "Norma Belling"
    assert by_cue["the plan was"]["speaker"] == "Oskar Hadley"
    over = by_cue["the talks we"]
    assert over["speaker"] is None and over["speaker_kind"] == "anonymous"


def test_the_party_and_its_statement_are_the_party_named_before(annotate):
    quotes, _ = annotate("A Liberal Democrat candidate, Tom Quell, is quitting the race in Eastfield.\n\n"
                         "In a statement, the party said the remark had been taken out of context. \"He supports "
                         "the party's policies in full,\" said the statement.")
    assert {q["speaker"] for q in quotes if "context" in q["quote_text"] or "policies" in q["quote_text"]} \
        == {"Liberal Democrats"}


def test_a_portfolio_or_a_possessive_before_the_name_still_names_the_speaker(annotate):
    quotes, _ = annotate("Shadow spokesman for sport Oskar Hadley said the bid was strong. Relief for Famine's "
                         "Norma Belling said the deal was unfair. A friend of Ada Trelawny said the talks were over.")
    by_text = {q["quote_text"]: q["speaker"] for q in quotes}
    assert by_text["the bid was strong"] == "Oskar Hadley"
    assert by_text["the deal was unfair"] == "Norma Belling"
    assert by_text["the talks were over"] is None


def test_a_lead_that_names_its_source_body_in_the_next_sentence(annotate):
    quotes, _ = annotate("Schools must improve citizenship lessons or democracy will suffer, the education watchdog "
                         "has warned.\nOfstadia said a quarter of schools were failing.")
    lead = next(q for q in quotes if q["quote_text"].startswith("Schools must"))
    nxt = next(q for q in quotes if q["quote_text"].startswith("a quarter"))
    assert lead["speaker_entity_id"] is not None and lead["speaker_entity_id"] == nxt["speaker_entity_id"]


def test_a_leads_role_is_the_person_given_that_role_a_few_sentences_on(annotate):
    quotes, _ = annotate("The best person for the job should be appointed, the courts minister has told MPs.\n\n"
                         "Under the reforms, the post is to lose its judicial role. \"It needs no lawyer,\" said "
                         "courts minister Tomas Varga. The bill was read on Monday.")
    assert _speaker_of(quotes, "The best person") == "Tomas Varga"


def test_a_person_named_before_a_title_at_the_end_of_the_subject_speaks(annotate):
    quotes, _ = annotate("In the Commons, Tory frontbencher Rupert Dunmore MP demanded an immediate ministerial "
                         "statement.\n\nRaising a point of order, he said it was \"a grave discourtesy\" to the House.")
    assert _speaker_of(quotes, "discourtesy") == "Rupert Dunmore"


def test_she_may_be_a_chairman(annotate):
    quotes, _ = annotate("Party chairman Petrina Vallance urged the two men to step down.\n\n"
                         "She said: \"The party has taken legal advice on the matter.\"")
    assert _speaker_of(quotes, "legal advice") == "Petrina Vallance"


def test_a_speaking_pronoun_continues_an_earlier_subject_before_a_nearer_object(annotate):
    quotes, _ = annotate("Alan Tennant said the slogan was the reaction to polling which suggests the public believe "
                         "Labour had changed. \"Not many people talk about the years before 1997 as the good old "
                         "days,\" he said. Nobody, he claimed, could picture Tom Quell walking up Downing Street. They "
                         "could, however, picture Ann Varga or, of course, Jack Dunmore doing it. So it was only right "
                         "that the campaign concentrated on the opposition. And Jack Dunmore would be in the very "
                         "front line of that campaign, he said.")
    assert _speaker_of(quotes, "front line") == "Alan Tennant"


def test_a_parenthetical_cue_does_not_speak_for_a_name_in_the_clause_it_interrupts(annotate):
    quotes, _ = annotate("Oliver Tennant, one of the men on the poster, is bewildered. The Tom Quell \"mongrel\" "
                         "attack, he says, is just the latest example of the party getting the tone wrong.")
    assert _speaker_of(quotes, "latest example") == "Oliver Tennant"


def test_the_archbishop_is_the_archbishop_named_before_not_the_last_minister(annotate):
    quotes, _ = annotate("Archbishop Tomas Varga has called for the release of the inmates.\n\n"
                         "On Tuesday Foreign Secretary Jack Quell told MPs the talks had been complex. "
                         "The archbishop added: \"What is happening to those left behind is unacceptable.\"")
    assert _speaker_of(quotes, "left behind") == "Tomas Varga"


def test_a_they_that_speaks_is_the_plural_body_before_it(annotate):
    quotes, _ = annotate("The Liberal Democrats want to scrap the council tax altogether.\n\n"
                         "They say the council tax is the most unfair tax in Britain. MPs criticised the plan. "
                         "They said it was wrong.")
    assert _speaker_of(quotes, "most unfair") == "Liberal Democrats"
    wrong = next(q for q in quotes if q["quote_text"] == "it was wrong")
    assert wrong["speaker"] is None and wrong["speaker_kind"] == "anonymous"


def test_a_clause_hung_on_the_cue_opens_the_reported_clause(annotate):
    quotes, _ = annotate("Tom Quell said by the time universities dealt with pupils, between the ages of 16 and 18, "
                         "it was too late. He said the rate rose by 25%.")
    texts = {q["quote_text"] for q in quotes}
    assert any(t.startswith("by the time universities") for t in texts)
    assert "the rate rose by 25%" in texts


def test_it_after_a_document_of_no_named_issuer_is_the_body_named_before(annotate):
    quotes, _ = annotate("Labour published guidance on Tuesday. The guidance said the police had a duty to act. "
                         "In such cases prosecutors would move \"as swiftly as possible\", it said.")
    swift = next(q for q in quotes if "swiftly" in q["quote_text"])
    assert swift["speaker"] == "Labour Party" and swift["speaker_kind"] == "organisation"


def test_the_agent_of_a_passive_is_a_subject_a_pronoun_may_continue(annotate):
    quotes, _ = annotate("Ada Concern says the over-55s are united on policy. For 57%, pensions were key.\n\n"
                         "The report was welcomed by shadow pensions secretary Tom Quell. \"The pensioners' voice "
                         "must be heard in the next election,\" he said.")
    assert _speaker_of(quotes, "pensioners") == "Tom Quell"


def test_a_document_the_text_names_the_issuer_of_is_that_issuer_for_a_speaking_it(annotate):
    quotes, _ = annotate("The National Audit Office report said costs had risen. It said there was \"little "
                         "evidence\" of progress in the department.")
    assert _speaker_of(quotes, "little") == "National Audit Office"


def test_the_possessor_of_a_subject_or_the_name_ending_it_is_whom_he_continues(annotate):
    quotes, _ = annotate("Former minister Alan Tennant now advises a firm. He earns a fee for the work.\n\n"
                         "Tom Quell's entry confirms a holiday was paid for. Tory leader Oskar Hadley's only fresh "
                         "entry is a Christmas hamper. He also declares a trip to Mexico last year to address "
                         "executives.")
    assert _speaker_of(quotes, "Mexico") == "Oskar Hadley"
    quotes, _ = annotate("Refugee Council chief executive Ann Varga called the plans dangerous, she warned. "
                         "Commission for Racial Equality chairman Tomas Quell said applications were down 40%.\n\n"
                         "He did not think Mr Hadley meant it. But he warned that campaigners could use his words.")
    assert _speaker_of(quotes, "campaigners") == "Tomas Quell"


def test_an_office_named_by_its_place_is_no_last_person_named(annotate):
    quotes, _ = annotate("Tom Quell said Labour had brought stability. Earlier the Archbishop of Canterbury wrote to "
                         "all three parties urging them not to exploit fears.\n\nIn an open letter, he called on them "
                         "not to turn the election into a contest about fear. He said they should concentrate on "
                         "the environment instead.")
    assert _speaker_of(quotes, "concentrate") is None


def test_the_subject_of_fronted_speech_is_no_subject_the_next_he_continues(annotate):
    quotes, _ = annotate("Tory leader Oskar Hadley spoke in Leeds. Labour's campaign would not be helped by the "
                         "package, Mr Hadley added.\n\n"
                         "Mr Quell's Budget was not about the country, but \"all about the interests of the Labour "
                         "party,\" the Tory leader said. He went on to accuse Mr Quell of giving with one hand. He "
                         "urged the chancellor to admit he had been responsible for the tax rises.")
    assert _speaker_of(quotes, "responsible") == "Oskar Hadley"


def _last_texts_quotes(nlp, texts: list[str]) -> list:
    """The quotes of the last text, resolved as one load with the others (their role holders shared)."""
    from transforms.entities import resolve_entities
    from transforms.quotes import extract_quotes
    from transforms.resolve import Resolver, batch_role_holders
    docs = list(nlp.pipe(texts))
    ids = [str(i) for i in range(len(docs))]
    resolved = resolve_entities(ids, docs)
    resolvers = [Resolver(d, resolved.indexes[a]) for a, d in zip(ids, docs, strict=True)]
    holders = batch_role_holders(resolvers)
    for r in resolvers:
        r.batch_roles = holders
    return extract_quotes(docs[-1], resolvers[-1])


def test_the_title_the_loads_other_articles_give_names_its_holder_in_a_text_without_it(nlp):
    texts = ["Prime Minister Tomas Varga opened the bridge on Monday.",
             "Prime Minister Tomas Varga met union leaders in Leeds.",
             "Mr Varga held his monthly news conference. Later the prime minister insisted that he had been "
             "closely involved in the plans."]
    quotes = _last_texts_quotes(nlp, texts)
    insisted = next(q for q in quotes if "closely involved" in q.text)
    assert insisted.speaker.entity is not None and insisted.speaker.entity.canonical_name == "Tomas Varga"


def test_an_office_named_by_its_body_is_the_speaker_the_next_sentence_names(annotate):
    quotes, _ = annotate("Police chiefs are wary of the plan. The chairman of the Police Federation of England and "
                         "Wales said it was essential operational independence was retained. Jan Tallis said: \"We "
                         "will fight this all the way.\"")
    assert _speaker_of(quotes, "operational independence") == "Jan Tallis"


def test_the_last_person_named_is_never_one_inside_the_speech_the_pronoun_reports(annotate):
    quotes, _ = annotate("Oskar Hadley used his New Year message to attack the government, Mr Hadley said.\n\n"
                         "\"We watched the scenes with disbelief. The scale of it is hard to grasp. \"Yet the "
                         "response has shone a light on our character.\" He went on to reflect on values. \"How "
                         "much tax do people want to pay? \"Who will give taxpayers value for money? \"Who can be "
                         "trusted to get a grip on the chaos?\"\n\nMr Quell has failed to tackle these problems, "
                         "he claimed.")
    assert _speaker_of(quotes, "failed to tackle") == "Oskar Hadley"


def test_a_role_beside_one_place_is_not_the_same_role_beside_another(annotate):
    quotes, _ = annotate("Norfolk police chief Andy Hayter backed the plans. \"I see no problem,\" he said. Among the "
                         "critics is Sir Jon Stallard. The Metropolitan police chief said the plans should be "
                         "re-examined.")
    assert _speaker_of(quotes, "re-examined") != "Andy Hayter"


def test_a_bodys_possessed_role_is_the_person_named_after_that_body(annotate):
    quotes, _ = annotate("The Dunmore Party's Ann Lee has written to the minister. Police are searching for Tom "
                         "Quell.\n\nThe Dunmore Party's parliamentary leader argued that the law was clear. She said "
                         "the ministers must answer.")
    assert _speaker_of(quotes, "must answer") == "Ann Lee"


def test_a_partys_leader_the_loads_other_articles_name_is_that_leader_not_the_last_person_named(nlp):
    texts = ["Tory leader Oskar Hadley opened the campaign in Leeds.",
             "Tory leader Oskar Hadley met farmers in Devon on Friday.",
             "Oskar Hadley has backed stem cell research. The issue was a feature of the US election, where "
             "Tomas Varga opposed it. But the Tory leader argued there was a moral case for embracing science."]
    argued = next(q for q in _last_texts_quotes(nlp, texts) if "moral case" in q.text)
    assert argued.speaker.entity is not None and argued.speaker.entity.canonical_name == "Oskar Hadley"


def test_it_after_a_body_that_spoke_is_that_body_not_one_named_inside_its_words(annotate):
    quotes, _ = annotate("The committee said the National Audit Office should investigate why the computer system "
                         "had failed. It blamed the agency's senior management for a long list of problems.")
    row = next(q for q in quotes if "senior management" in q["quote_text"])
    assert row["speaker"] is None and row["speaker_kind"] == "organisation"


def test_a_kind_noun_after_a_bodys_name_is_that_body(annotate):
    quotes, _ = annotate("The Labour Party met in Leeds. Union leaders were there too. Later the GMB union said "
                         "it would strike, and the Mirror newspaper reported that talks had failed.")
    speakers = {q["quote_text"]: q["speaker"] for q in quotes}
    assert speakers.get("it would strike") == "GMB", speakers
    assert speakers.get("talks had failed") == "Daily Mirror", speakers
