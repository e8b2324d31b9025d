"""Entity resolution within and across documents, on texts written for these tests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from transforms import entities
from transforms.entities import _initials_fit, entity_id_for, name_key
from transforms.rows import entity_rows, mention_rows

pytestmark = pytest.mark.slow


def resolve_entities(article_ids, docs, known_surnames=None) -> SimpleNamespace:
    """The stage's typed results as the rows they become."""
    resolved = entities.resolve_entities(article_ids, docs, known_surnames)
    return SimpleNamespace(entities=entity_rows(resolved.entities),
                           mentions=[r for aid in article_ids for r in mention_rows(aid, resolved.mentions[aid])])


def by_text(frames):
    names = {e["entity_id"]: e for e in frames.entities}
    return {m["mention_text"]: names[m["entity_id"]] for m in frames.mentions}


def test_name_key_ignores_accents_case_punctuation_and_possessive():
    assert name_key("Nicolás Maduro") == name_key("nicolas maduro") == "nicolas maduro"
    assert name_key("the United Nations") == "united nations"
    assert name_key("Ortega’s") == "ortega"
    assert entity_id_for("GPE", "peru") == entity_id_for("LOC", "peru")
    assert entity_id_for("PERSON", "peru") != entity_id_for("ORG", "peru")


def test_acronym_letters_may_follow_the_original_language_order():
    assert _initials_fit("NLF", "National Liberation Front")
    assert _initials_fit("FLN", "National Liberation Front")  # French order, same letters
    assert not _initials_fit("IMF", "National Liberation Front")


def test_surnames_titles_and_accents_resolve_to_one_full_name(nlp):
    texts = [
        "Foreign Minister Marta Olivares met President Joaquín Ibarra in Lima. Olivares said the talks went well. "
        "Later Ibarra thanked her.",
        "Joaquin Ibarra flew to Quito on Friday, where Ibarra met students.",
    ]
    docs = list(nlp.pipe(texts))
    frames = resolve_entities(["a1", "a2"], docs)
    ents = by_text(frames)
    assert ents["Olivares"]["entity_id"] == ents["Marta Olivares"]["entity_id"]
    assert ents["Marta Olivares"]["entity_type"] == "PERSON"
    ibarra = {e["entity_id"] for t, e in ents.items() if "Ibarra" in t}
    assert len(ibarra) == 1, "one Ibarra across both articles, accents or not"
    assert next(e for t, e in ents.items() if "Ibarra" in t)["canonical_name"] == "Joaquín Ibarra"
    assert not any(t.startswith(("Foreign", "President")) for t in ents), "titles are not part of names"


def test_people_sharing_a_surname_stay_apart(nlp):
    text = ("Prime Minister Elena Vargas met Trade Minister Tomas Vargas in Bogota. "
            "Elena Vargas later said the meeting was useful.")
    frames = resolve_entities(["a"], list(nlp.pipe([text])))
    ids = {e["canonical_name"] for e in frames.entities if e["entity_type"] == "PERSON"}
    assert {"Elena Vargas", "Tomas Vargas"} <= ids


def test_defined_acronym_joins_its_expansion(nlp):
    text = ("The National Liberation Front (NLF) held a congress in Algiers. "
            "Delegates of the NLF elected a new secretary.")
    frames = resolve_entities(["a"], list(nlp.pipe([text])))
    orgs = [m for m in frames.mentions if m["ner_label"] == "ORG"]
    assert len({m["entity_id"] for m in orgs}) == 1, orgs


def test_offsets_point_into_the_text(nlp):
    text = "Mr. Daniel Okoro, Nigeria’s envoy, met the African Union in Addis Ababa."
    doc = next(nlp.pipe([text]))
    frames = resolve_entities(["a"], [doc])
    for m in frames.mentions:
        assert text[m["start_char"]:m["end_char"]] == m["mention_text"]
    assert "Nigeria" in [m["mention_text"] for m in frames.mentions]
    assert any(e["country_code"] == "NGA" for e in frames.entities)


def test_a_bare_surname_goes_to_the_namesake_the_article_introduced_first(nlp):
    text = ("Acting President Sofia Kessler flew to Geneva on Monday. Kessler met the Red Cross chief. "
            "She was joined by Finance Minister Jonas Kessler, her cousin. Later Kessler said the talks had "
            "been constructive.")
    frames = resolve_entities(["a"], list(nlp.pipe([text])))
    names = {e["entity_id"]: e["canonical_name"] for e in frames.entities}
    bare = [names[m["entity_id"]] for m in frames.mentions if m["mention_text"] == "Kessler"]
    assert bare and set(bare) == {"Sofia Kessler"}


def test_a_surname_the_ner_missed_is_found_when_the_batch_knows_the_person(nlp):
    texts = ["Foreign Minister Ignacio Zubizarreta opened the summit in Lima.",
             "Delegates praised the host. Zubizarreta thanked them and closed the session."]
    frames = resolve_entities(["a", "b"], list(nlp.pipe(texts)))
    names = {e["entity_id"]: e["canonical_name"] for e in frames.entities}
    in_b = {names[m["entity_id"]] for m in frames.mentions if m["article_id"] == "b"}
    assert "Ignacio Zubizarreta" in in_b


def test_a_missed_surname_is_found_from_the_warehouse_when_its_batch_lacks_the_full_name(nlp):
    """The rows of an article must not depend on which articles share its batch (reprocess chunks)."""
    text = "Delegates praised the host. Zubizarreta thanked them and closed the session."
    alone = resolve_entities(["b"], list(nlp.pipe([text])))
    assert not any(m["mention_text"] == "Zubizarreta" for m in alone.mentions)
    known = resolve_entities(["b"], list(nlp.pipe([text])), {"zubizarreta": {"ignacio zubizarreta": 3}})
    found = [m for m in known.mentions if m["mention_text"] == "Zubizarreta"]
    assert len(found) == 1 and found[0]["ner_label"] == "PERSON"
    # ambiguous in the batch (two full names end with it): the warehouse cannot settle it
    two = ["Lawyer Ana Zubizarreta spoke first. Minister Ignacio Zubizarreta replied later.", text]
    frames = resolve_entities(["a", "b"], list(nlp.pipe(two)), {"zubizarreta": {"ignacio zubizarreta": 3}})
    assert not any(m["article_id"] == "b" and m["mention_text"] == "Zubizarreta" for m in frames.mentions)


def test_names_ending_with_an_organisation_noun_are_organisations(nlp):
    text = ("Lena Ortiz, a fellow at the Harrow Center, and a lecturer at the US Naval Academy in Annapolis "
            "spoke about the Ministry of Fisheries and Ports of the Andean country.")
    frames = resolve_entities(["a"], list(nlp.pipe([text])))
    orgs = {m["mention_text"] for m in frames.mentions if m["ner_label"] == "ORG"}
    assert "Harrow Center" in orgs
    assert any(o.endswith("Naval Academy") for o in orgs)
    assert "Ministry of Fisheries and Ports" in orgs


def test_a_name_in_apposition_to_a_role_is_a_person(nlp):
    text = ("For her part, the Deputy Minister for Trade of Chile, Rander Pena indicated on Twitter that both "
            "sides were committed to the talks.")
    frames = resolve_entities(["a"], list(nlp.pipe([text])))
    labels = {m["mention_text"]: m["ner_label"] for m in frames.mentions}
    assert labels.get("Rander Pena") == "PERSON", labels


def test_all_caps_and_unaccented_forms_join_the_best_formed_name(nlp):
    texts = ["LULA DA SILVA MEETS NICOLAS MADURO IN BRASILIA", "Nicolás Maduro’s envoy thanked Lula da Silva."]
    frames = resolve_entities(["a", "b"], list(nlp.pipe(texts)))
    names = {e["entity_id"]: e["canonical_name"] for e in frames.entities}
    maduro = {names[m["entity_id"]] for m in frames.mentions if "MADURO" in m["mention_text"].upper()}
    assert maduro == {"Nicolás Maduro"}


def test_mr_before_everyday_words_makes_a_person_and_retypes_the_full_name(nlp):
    # "Cable" and "Hall" are everyday words: the NER types "Vince Cable" as a body or misses "Mr Cable";
    # the honorific says both are the same person
    texts = ["According to Vince Cable, the Treasury has lost control of spending. Mr Cable added that "
             "the figures did not add up. Mr Hall, a councillor, said nothing."]
    frames = resolve_entities(["a1"], list(nlp.pipe(texts)))
    ents = by_text(frames)
    assert ents["Vince Cable"]["entity_type"] == "PERSON"
    assert ents["Cable"]["entity_id"] == ents["Vince Cable"]["entity_id"]
    assert ents["Hall"]["entity_type"] == "PERSON"


def test_competitors_in_results_lines_and_name_lists_are_people(nlp):
    texts = ["Women 's singles , third round\n"
             "8 - Marisol Quentaro ( Spain ) beat Ilvana Dorcheska ( Bulgaria ) 6-0 6-3\n"
             "Tavita Okonkwe ( Nigeria ) beat 15 - Brenna Lindqvist ( Sweden ) 7-5 3-6 6-2",
             "Squads :\nKenya - Odhiambo Mwangale ( captain ) , Kiprono Sitienei ,\n"
             "Wambui Ngaruiya , Ochieng Barasa , Jepkosgei Chelimo .\n"
             "SOCCER - RASKOVIC SIGNS FOR CLUB\nAbd-ur-Rahim Qasmi bowled well."]
    frames = resolve_entities(["a1", "a2"], list(nlp.pipe(texts)))
    ents = by_text(frames)
    for name in ("Marisol Quentaro", "Ilvana Dorcheska", "Tavita Okonkwe", "Brenna Lindqvist",
                 "Odhiambo Mwangale", "Kiprono Sitienei", "Wambui Ngaruiya", "Ochieng Barasa", "Jepkosgei Chelimo",
                 "Abd-ur-Rahim Qasmi"):
        assert ents.get(name, {}).get("entity_type") == "PERSON", name
    assert ents["Spain"]["entity_type"] == "GPE"
    assert not any(" - " in text for text in ents)  # "SOCCER - RASKOVIC" is a topic, then a name


def test_a_company_suffix_keeps_a_given_name_at_the_front_a_company(nlp):
    frames = resolve_entities(["a1"], list(nlp.pipe(["Shares in Ingrid Motor Corp rose after Ingrid Motor Corp "
                                                     "reported higher sales."])))
    assert by_text(frames)["Ingrid Motor Corp"]["entity_type"] == "ORG"


def test_a_place_inside_a_longer_name_belongs_to_that_name(nlp):
    text = ("Speaking on BBC Radio Wales, the chairman of the Arts Council of Wales said the Prince of Wales had "
            "visited. The Scottish Labour Party and UKIP Scotland disagreed. Scottish Water said nothing. "
            "The President of France and the people of Wales were not consulted. "
            "\"If Labour is elected, taxes rise,\" he said. He said that under Labour Britain had become poorer. "
            "President Chirac of France agreed.")
    frames = resolve_entities(["a1"], list(nlp.pipe([text])))
    mentions = [(m["mention_text"], e["entity_type"]) for m, e in
                ((m, {x["entity_id"]: x for x in frames.entities}[m["entity_id"]]) for m in frames.mentions)]
    assert ("BBC Radio Wales", "ORG") in mentions and ("UKIP Scotland", "ORG") in mentions
    assert ("Arts Council of Wales", "ORG") in mentions and ("Scottish Labour Party", "ORG") in mentions
    # the people of Wales, and Britain under Labour ("under Labour Britain": two names)
    assert [t for t, typ in mentions if typ == "GPE"] == ["France", "Wales", "Britain", "France"]
    assert ("Labour", "ORG") in mentions and ("Scottish", "NORP") not in mentions


def test_given_names_of_other_countries_open_a_persons_name(nlp):
    text = ("Bogdan Ulihrov beat Radek Stepanov 6-3 6-2. Scorers : Romania - Cosmin Contrescu ( 31st ).\n"
            "Staff of Huawei Recruitment and the Vice Presidency were not called.")
    ents = by_text(resolve_entities(["a1"], list(nlp.pipe([text]))))
    for name in ("Radek Stepanov", "Cosmin Contrescu"):  # the NER: ORG, and nothing
        assert ents.get(name, {}).get("entity_type") == "PERSON", name
    assert all(e["entity_type"] != "PERSON" for t, e in ents.items() if "Recruitment" in t or "Presidency" in t)


def test_a_surname_takes_the_given_name_or_initial_written_before_it(nlp):
    doc = nlp("Bowling : Tariq Mahmoodi 10-0-50-0 , U. Chandrasena 9-0-54-1 , Minister Okafor spoke .")
    raws = [entities._Raw(doc.text.index(w), doc.text.index(w) + len(w), w, "PERSON", name_key(w))
            for w in ("Mahmoodi", "Chandrasena", "Okafor")]
    entities._given_names_before(doc, raws)
    assert [r.text for r in raws] == ["Tariq Mahmoodi", "U. Chandrasena", "Okafor"]  # a title stays out


def test_a_persons_surname_in_a_capitals_headline_is_that_person(nlp):
    text = "SOCCER - RASKOVAN NAMED CAPTAIN .\nThe coach named Dario Raskovan captain on Friday ."
    frames = resolve_entities(["a1"], list(nlp.pipe([text])))
    ents = by_text(frames)
    assert ents.get("RASKOVAN", {}).get("entity_id") == ents["Dario Raskovan"]["entity_id"]


def test_a_town_that_plays_is_its_club_and_a_nation_stays_a_place(nlp):
    text = ("Surrey beat Kent by an innings on Friday. Kent had won their match against Durham "
            "in Durham last week. England beat Wales at Cardiff. The case against Texas was dropped.")
    frames = resolve_entities(["a1"], list(nlp.pipe([text])))
    names = {e["entity_id"]: e for e in frames.entities}
    typed = [(m["mention_text"], names[m["entity_id"]]["entity_type"]) for m in frames.mentions]
    assert typed.count(("Kent", "ORG")) == 2 and ("Surrey", "ORG") in typed  # the NER: two people
    assert ("Durham", "ORG") in typed and ("Durham", "GPE") in typed  # the club, then the town it plays in
    assert ("England", "ORG") not in typed and ("Wales", "ORG") not in typed
    assert ("Texas", "ORG") not in typed


def test_places_the_gazetteer_knows_are_found_where_the_ner_left_them(nlp):
    text = ("BUCHAREST 2004-08-30\nYorkshire beat Sussex by six wickets on Friday. "
            "Jordan Henderson scored for Bristol City in Reading.")
    frames = resolve_entities(["a1"], list(nlp.pipe([text])))
    names = {e["entity_id"]: e for e in frames.entities}
    typed = {m["mention_text"]: names[m["entity_id"]]["entity_type"] for m in frames.mentions}
    assert typed.get("BUCHAREST") == "GPE"
    assert typed.get("Sussex") == "ORG"  # found (the NER missed it), then a side of a match
    assert "Bristol" not in typed and "Henderson" not in typed  # no word of a longer name on its own


def test_a_country_tied_by_a_role_written_with_a_comma_or_with_modifiers(nlp):
    texts = ["The Scottish Conservative leader, Douglas Aitkenhead, said the plan was wrong.",
             "Former Downing Street communications chief Fergus Lammond spoke on Monday."]
    res = entities.resolve_entities(["a1", "a2"], list(nlp.pipe(texts)))
    codes = {e.canonical_name: e.country_code for e in res.entities if e.entity_type == "PERSON"}
    assert codes == {"Douglas Aitkenhead": "GBR", "Fergus Lammond": "GBR"}


def test_a_partys_word_the_ner_took_for_a_people_or_a_person_is_the_party(nlp):
    text = ("In October Tory leader Michael Howard said no. London Tory spin doctors agreed. "
            "The Tories were the official Opposition and the Lib Dems were the third party.")
    ents = by_text(resolve_entities(["a1"], list(nlp.pipe([text]))))
    assert {ents[w]["canonical_name"] for w in ("Tory", "Tories")} == {"Conservative Party"}
    assert ents["Lib Dems"]["entity_type"] == "ORG"


def test_a_place_word_inside_an_unknown_longer_name_is_not_the_place(nlp):
    text = ("Dr Pryce told Radio Wales the waiting lists were falling. Speaking to the Westminster Hour on "
            "Sunday, Mr Hale said pickets stood across Wales and outside Westminster Cathedral. Shelling in "
            "the Gaza Strip went on, and the mayor of Mexico City left for North Wales.")
    frames = resolve_entities(["a1"], list(nlp.pipe([text])))
    names = {x["entity_id"]: x for x in frames.entities}
    places = [(m["mention_text"], names[m["entity_id"]]["canonical_name"]) for m in frames.mentions
              if names[m["entity_id"]]["entity_type"] in ("GPE", "LOC")]
    # "across Wales" is the place; "Radio Wales", "Westminster Hour", "Westminster Cathedral" are not
    assert sum(1 for t, _ in places if t in ("Wales", "North Wales")) == 2
    assert not any(t == "Westminster" for t, _ in places)
    assert ("Gaza Strip", "Gaza Strip") in places and ("Mexico City", "Mexico City") in places
    typed = {m["mention_text"]: names[m["entity_id"]]["entity_type"] for m in frames.mentions}
    assert typed["Radio Wales"] == "ORG" and typed["Westminster Cathedral"] == "FAC"


def test_a_peer_is_named_by_title_even_after_a_places_name(nlp):
    text = ("Lord Ferrar said the bill was fair. Baroness Scotland told peers the courts agreed. "
            "Later Lord Ferrar left for Scotland.")
    frames = resolve_entities(["a1"], list(nlp.pipe([text])))
    ents = by_text(frames)
    assert ents["Ferrar"]["canonical_name"] == "Lord Ferrar" and ents["Ferrar"]["entity_type"] == "PERSON"
    names = {x["entity_id"]: x for x in frames.entities}
    scotland = [names[m["entity_id"]] for m in frames.mentions if m["mention_text"] == "Scotland"]
    assert [(e["canonical_name"], e["entity_type"]) for e in scotland] == [
        ("Baroness Scotland", "PERSON"), ("Scotland", "GPE")]


def test_a_peoples_word_used_as_its_language_is_no_entity(nlp):
    text = ("Ministers should speak English at home, the report said. The English-speaking world and his "
            "English teacher agreed, and the leaflet was printed in Welsh. The English team lost.")
    frames = resolve_entities(["a1"], list(nlp.pipe([text])))
    assert [m["mention_text"] for m in frames.mentions] == ["English"]  # the team's, a people's


def test_a_partys_branch_is_one_row_and_a_bracket_ends_a_name(nlp):
    texts = ["The Scottish Conservative Party met in Perth. The Scottish Tories chose a leader.",
             "The Welsh Liberal Democrat group and the Welsh Liberal Democrats agreed. "
             "He left the National Front Party(NFP) and the Survivors Trust (TST) in May."]
    frames = resolve_entities(["a1", "a2"], list(nlp.pipe(texts)))
    ents = by_text(frames)
    assert ents["Scottish Conservative Party"]["entity_id"] == ents["Scottish Tories"]["entity_id"]
    assert ents["Welsh Liberal Democrat"]["entity_id"] == ents["Welsh Liberal Democrats"]["entity_id"]
    assert not any("(" in e["canonical_name"] for e in frames.entities)
    assert ents["Survivors Trust"]["entity_type"] == "ORG"


def test_names_inside_a_works_title_are_the_works_words(nlp):
    text = ("According to a new book, Ashdown's England, Mr Hale broke a pledge. He told BBC One's Breakfast with "
            "Frost programme he agreed, and told the BBC's Breakfast with Frost: \"No.\" The musical Oliver! opened. "
            "In his book Hale says little, and Oliver Dane met Paddy Ashdown in England. The UN's Food and "
            "Agriculture Organisation, in Rome, agreed.")
    mentions = [m["mention_text"] for m in resolve_entities(["a1"], list(nlp.pipe([text]))).mentions]
    assert "Ashdown" not in mentions and "Frost" not in mentions and "Oliver" not in mentions
    assert mentions.count("England") == 1 and mentions.count("Hale") == 2 and "Paddy Ashdown" in mentions
    assert "Food and Agriculture Organisation" in mentions


def test_a_regnal_number_is_part_of_a_monarchs_name(nlp):
    text = ("The archive holds the death warrant for Charles I, the papers of Henry VIII and letters of "
            "Prince Charles. Charles said he was pleased.")
    ents = by_text(resolve_entities(["a1"], list(nlp.pipe([text]))))
    assert ents["Charles I"]["entity_id"] != ents["Prince Charles"]["entity_id"]
    assert ents["Prince Charles"]["entity_type"] == "PERSON" and "Henry VIII" in ents


def test_a_knight_named_by_his_given_name_is_not_the_royal_of_that_name(nlp):
    text = ("Prince Edward opened the hall. Later Sir Edward Heald spoke, and Sir Edward said the talks had "
            "failed.")
    frames = resolve_entities(["a1"], list(nlp.pipe([text])))
    names = {x["entity_id"]: x["canonical_name"] for x in frames.entities}
    assert [names[m["entity_id"]] for m in frames.mentions if m["mention_text"] == "Edward"] == ["Edward Heald"]


def test_a_faith_is_a_people_not_a_persons_surname(nlp):
    texts = ["They claim to be following Islam in its true form, and the Catholic vote matters.",
             "Mohammed Islam denied the charge. Mr Islam was released."]
    frames = resolve_entities(["a1", "a2"], list(nlp.pipe(texts)))
    ents = {(m["article_id"], m["mention_text"]): e for m in frames.mentions
            for e in frames.entities if e["entity_id"] == m["entity_id"]}
    assert ents[("a1", "Islam")]["entity_type"] == "NORP" and ents[("a1", "Catholic")]["entity_type"] == "NORP"
    assert ents[("a2", "Islam")]["canonical_name"] == "Mohammed Islam"


def test_a_name_capitalised_inside_is_person_shaped(nlp):
    frames = resolve_entities(["a1"], list(nlp.pipe(["P. McKeown not out 8\n\nT. DeWitt c Orme b Tennant 12"])))
    assert {"P. McKeown", "T. DeWitt"} <= {m["mention_text"] for m in frames.mentions}


def test_a_company_suffix_makes_a_company_and_its_name_alone_too(nlp):
    text = "Shares in Varelli SpA rose on Monday. Varelli said its cable arm did well."
    frames = resolve_entities(["a1"], list(nlp.pipe([text])))
    typed = {m["mention_text"]: e["entity_type"] for m in frames.mentions
             for e in frames.entities if e["entity_id"] == m["entity_id"]}
    assert typed["Varelli SpA"] == "ORG" and typed["Varelli"] == "ORG"


def test_a_surname_that_is_a_place_stays_the_persons(nlp):
    text = ("Director Oona Jordan says the film cost her sleep. Jordan defends her choice of cast. "
            "Talks were held in Jordan on Monday. Later Tobias Holland, 52, was arrested. Police found "
            "Holland in a shop.")
    frames = resolve_entities(["a1"], list(nlp.pipe([text])))
    names = {x["entity_id"]: (x["canonical_name"], x["entity_type"]) for x in frames.entities}
    found = [(m["mention_text"], names[m["entity_id"]]) for m in frames.mentions]
    assert ("Oona Jordan", ("Oona Jordan", "PERSON")) in found
    assert ("Jordan", ("Oona Jordan", "PERSON")) in found  # "Jordan defends"
    assert ("Jordan", ("Jordan", "GPE")) in found  # "in Jordan"
    assert [n for t, n in found if t.endswith("Holland")] == [("Tobias Holland", "PERSON")] * 2


def test_a_name_joined_by_a_hyphen_is_whole(nlp):
    text = "Red Cross president Pak Sung-ho met Ri Hyon-so on Friday."
    frames = resolve_entities(["a1"], list(nlp.pipe([text])))
    assert {m["mention_text"] for m in frames.mentions} >= {"Pak Sung-ho", "Ri Hyon-so"}


def test_the_names_of_a_scorecard_are_people(nlp):
    text = ("Northshire innings\n"
            "T. Varga c Orme b Tennant 21\n"
            "Ann Quell lbw b Brackley 0\n"
            "K. Ferris not out 14\n"
            "Extras ( lb-3 nb-2 ) 5\n"
            "Bowling : Tennant 10-1-38-3 , Brackley\n"
            "9-0-49-1 .")
    frames = resolve_entities(["a1"], list(nlp.pipe([text])))
    types = {x["entity_id"]: x["entity_type"] for x in frames.entities}
    people = {m["mention_text"] for m in frames.mentions if types[m["entity_id"]] == "PERSON"}
    assert people >= {"T. Varga", "Orme", "Tennant", "Ann Quell", "Brackley", "K. Ferris"}
    assert "Extras" not in {m["mention_text"] for m in frames.mentions}


def test_a_batting_line_is_no_title():
    from transforms.articles.lines import is_table_row
    assert is_table_row("K. Ferris not out 14") and is_table_row("T. Varga c Orme b Tennant 21")
    assert not is_table_row("Ferris out of the running in 2005")


def test_a_companys_short_name_is_the_company(nlp):
    text = ("Shares of Varnec S.A. fell on Friday. Varnec 's receipts opened lower. Talbra Industrial Inc said "
            "it would buy a rival. Talbra 's strength has been panels.")
    frames = resolve_entities(["a1"], list(nlp.pipe([text])))
    names = {x["entity_id"]: (x["canonical_name"], x["entity_type"]) for x in frames.entities}
    found = {(m["mention_text"], names[m["entity_id"]]) for m in frames.mentions}
    assert ("Varnec", ("Varnec S.A.", "ORG")) in found
    assert ("Talbra", ("Talbra Industrial Inc", "ORG")) in found


def test_a_name_after_the_town_of_is_a_place_in_every_mention(nlp):
    text = ("Troops took the town of Qaravildo after driving out rebels. He said his troops took Qaravildo "
            "without losses. Gunfire was heard east of Qaravildo.")
    frames = resolve_entities(["a1"], list(nlp.pipe([text])))
    types = {x["entity_id"]: x["entity_type"] for x in frames.entities}
    got = [types[m["entity_id"]] for m in frames.mentions if m["mention_text"] == "Qaravildo"]
    assert len(got) == 3 and set(got) == {"GPE"}


def test_a_horizontal_bar_is_parsed_as_the_dash_the_model_knows(nlp):
    text = ("When Ann Quell noted that Tom Hebb has occasionally not paid anything in federal income taxes ― as was "
            "true for the few years his tax returns were made public ― Tom Hebb boasted, “That makes me smart.”")
    bar, dash = nlp(text), nlp(text.replace("―", "—"))
    assert [(t.tag_, t.dep_, t.head.i) for t in bar] == [(t.tag_, t.dep_, t.head.i) for t in dash]
    assert all(t.is_punct for t in bar if t.text == "―")


def test_a_slash_parts_two_names_and_ends_one(nlp):
    text = "The Varga/Quell feud goes on, said Mr Tennant/\n\nAnn Varga and Tom Quell met."
    frames = resolve_entities(["a1"], list(nlp.pipe([text])))
    texts = [m["mention_text"] for m in frames.mentions]
    assert "Tennant" in texts and not any("/" in t for t in texts)


def test_a_role_noun_before_a_full_name_is_no_part_of_it(nlp):
    text = "MEP Tomas Varga said so. Lawyer Ann Quell agreed. Later Tomas Varga left."
    frames = resolve_entities(["a1"], list(nlp.pipe([text])))
    names = {x["canonical_name"] for x in frames.entities}
    assert {"Tomas Varga", "Ann Quell"} <= names and not any(n.startswith(("MEP", "Lawyer")) for n in names)


def test_a_knight_is_never_mister(nlp):
    texts = ["Sir Owen Tallis said the threat was real. Mr Tallis insisted the plans were needed. Sir Owen disagreed.",
             "Tom Tallis spoke. Later Tom Tallis left. Tom Tallis came back. Tom Tallis won. Tom Tallis, "
             "then Tom Tallis again."]
    frames = resolve_entities(["a1", "a2"], list(nlp.pipe(texts)))
    names = {x["entity_id"]: x["canonical_name"] for x in frames.entities}
    got = {m["mention_text"]: names[m["entity_id"]] for m in frames.mentions if m["article_id"] == "a1"}
    assert got["Owen"] == "Owen Tallis" and got["Tallis"] == "Tom Tallis"


def test_a_programme_after_a_broadcasters_possessive_ends_at_any_small_word(nlp):
    text = ("On the BBC's Supper with Marlowe it was put to Mr Quell that he was wrong. Labour's Minister for "
            "Health Ann Varga spoke.")
    frames = resolve_entities(["a1"], list(nlp.pipe([text])))
    texts = {m["mention_text"] for m in frames.mentions}
    assert "Marlowe" not in texts and "Ann Varga" in texts


def test_a_capitalised_verb_inside_a_sentence_is_a_word_of_the_name(nlp):
    frames = resolve_entities(["a1"], list(nlp.pipe(["The plan was opposed by Stop Hallam Expansion on Monday."])))
    assert "Stop Hallam Expansion" in {x["canonical_name"] for x in frames.entities}


def test_major_newspapers_are_organisations(nlp):
    frames = resolve_entities(["a1"], list(nlp.pipe(["The Daily Mirror said it had been handed a file, and the "
                                                     "Guardian reported the row."])))
    types = {x["canonical_name"]: x["entity_type"] for x in frames.entities}
    assert types.get("Daily Mirror") == "ORG" and types.get("The Guardian") == "ORG"


def test_a_name_ending_in_an_everyday_word_is_a_person_when_what_follows_says_so(nlp):
    text = ("The Conservatives have called for change. Rosalind May, shadow secretary for the family, told BBC "
            "Radio 4's Today programme that the plans were inadequate.")
    frames = resolve_entities(["a1"], list(nlp.pipe([text])))
    names = {x["canonical_name"]: x["entity_type"] for x in frames.entities}
    assert names.get("Rosalind May") == "PERSON"


def test_letters_after_a_name_are_no_part_of_it(nlp):
    frames = resolve_entities(["a1"], list(nlp.pipe(["Barrister Tomas Varga QC said the law was clear. Ann Quell MEP "
                                                     "agreed."])))
    names = {x["canonical_name"] for x in frames.entities}
    assert {"Tomas Varga", "Ann Quell"} <= names and not any(n.endswith(("QC", "MEP")) for n in names)


def test_a_given_name_and_surname_before_letters_are_a_person_whatever_the_tag(nlp):
    text = ("The claims were made in a book published this week by Philippe Tallis QC, a member of the Matrix "
            "Chambers. MPs criticised the book.")
    frames = resolve_entities(["a1"], list(nlp.pipe([text])))
    names = {x["canonical_name"]: x["entity_type"] for x in frames.entities}
    assert names.get("Philippe Tallis") == "PERSON" and "MPs" not in names


def test_a_name_after_a_role_noun_is_a_person_whatever_the_ner_said(nlp):
    from spacy.tokens import Span
    doc = nlp("Lib Dem Treasury spokesman Vince Signal also branded the Tory plans as fantasy economics.")
    start = next(t.i for t in doc if t.text == "Vince")
    doc.ents = [e for e in doc.ents if not (e.start <= start < e.end)] + [Span(doc, start, start + 2, label="ORG")]
    frames = resolve_entities(["a1"], [doc])
    names = {x["canonical_name"]: x["entity_type"] for x in frames.entities}
    assert names.get("Vince Signal") == "PERSON"


def test_a_name_between_commas_before_a_speech_verb_is_a_person(nlp):
    text = "The Shadow Secretary of State for the Family, Rosalind May, said the plans were recycled."
    frames = resolve_entities(["a1"], list(nlp.pipe([text])))
    assert {x["canonical_name"]: x["entity_type"] for x in frames.entities}.get("Rosalind May") == "PERSON"


def test_a_peer_is_not_the_loads_full_name_of_that_surname(nlp):
    texts = ["Judge Tomas Harrow QC jailed three men on Friday. Mr Harrow said drink was to blame.",
             "Lord Harrow, who sits on the board of the police authorities, said the plans were flawed."]
    frames = resolve_entities(["a1", "a2"], list(nlp.pipe(texts)))
    names = {x["canonical_name"] for x in frames.entities if "Harrow" in x["canonical_name"]}
    assert names == {"Tomas Harrow", "Lord Harrow"}


def test_a_body_tagged_with_the_honorific_and_name_after_it_ends_before_the_honorific(nlp):
    from spacy.tokens import Span
    doc = nlp("In a speech to the Harbour Policy Centre Mr Quell said of the mayor: \"He is not wise.\"")
    start = next(t.i for t in doc if t.text == "Harbour")
    end = next(t.i for t in doc if t.text == "Quell") + 1
    doc.ents = [e for e in doc.ents if e.end <= start or e.start >= end] + [Span(doc, start, end, label="ORG")]
    frames = resolve_entities(["a1"], [doc])
    names = {x["canonical_name"]: x["entity_type"] for x in frames.entities}
    assert names.get("Harbour Policy Centre") == "ORG" and names.get("Quell") == "PERSON"


def test_a_given_name_takes_the_everyday_word_after_it_as_surname(nlp):
    from spacy.tokens import Span
    doc = nlp("Deputy Speaker Sylvia Mend agreed it was a serious matter. On Tuesday the House rose early.")
    given = next(t.i for t in doc if t.text == "Sylvia")
    doc.ents = [e for e in doc.ents if not (e.start <= given + 1 < e.end or e.start <= given < e.end)] \
        + [Span(doc, given, given + 1, label="PERSON")]
    frames = resolve_entities(["a1"], [doc])
    names = {x["canonical_name"]: x["entity_type"] for x in frames.entities}
    assert names.get("Sylvia Mend") == "PERSON" and "Sylvia" not in names and "Tuesday House" not in names


def test_a_paper_named_by_an_everyday_word_is_that_paper_only_after_the(nlp):
    text = ("The Times said the minister had resigned. He told the Independent that he was sorry. Fans "
            "gathered in Times Square. At times he stood as an Independent candidate.")
    frames = resolve_entities(["a"], list(nlp.pipe([text])))
    names = {e["entity_id"]: (e["canonical_name"], e["entity_type"]) for e in frames.entities}
    papers = [(m["mention_text"], names[m["entity_id"]]) for m in frames.mentions
              if names[m["entity_id"]][0] in ("The Times", "The Independent")]
    assert papers == [("Times", ("The Times", "ORG")), ("Independent", ("The Independent", "ORG"))], papers
