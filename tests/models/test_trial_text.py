"""How a trial becomes text: each aspect carries what defines it."""

from models.trial_text import Aspect, aspect_units, sentences, trial_text


def test_seed_trial_aspects(corpus_store) -> None:
    store, _ = corpus_store
    seed = store.get("NCT03458156")
    condition = trial_text(seed, Aspect.CONDITION)
    assert "Lupus Nephritis" in condition and "MeSH: Nephritis" in condition
    intervention = trial_text(seed, Aspect.INTERVENTION)
    assert "biological: SLE group" in intervention and "umbilical cord mesenchymal stem cell" in intervention
    eligibility = aspect_units(seed, Aspect.ELIGIBILITY)
    assert eligibility[0] == "Eligible: all sexes, ages 18 to 60 years"
    assert "Inclusion: age 18-60 years." in eligibility
    assert any(u.startswith("Exclusion: Renal failure") for u in eligibility)
    overview = aspect_units(seed, Aspect.OVERVIEW)
    assert overview[0] == "Umbilical Cord Mesenchymal Stem Cell Transplantation for Lupus Nephritis"
    assert "Outcome: SLEDAI-2000 score" in overview


def test_repeated_arm_and_intervention_text_appears_once(corpus_store) -> None:
    store, _ = corpus_store
    units = aspect_units(store.get("NCT03458156"), Aspect.INTERVENTION)
    assert len(units) == len(set(units))


def test_sentences_split_at_ends_and_paragraphs() -> None:
    assert sentences("First one. Second (b) here.\n\nThird") == ["First one.", "Second (b) here.", "Third"]
    assert sentences("e.g. this stays whole") == ["e.g. this stays whole"]
