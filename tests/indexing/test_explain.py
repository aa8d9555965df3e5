"""Reasons come from the records: what two trials share, in their own words."""

from indexing.catalog import CatalogEntry
from indexing.explain import explain


def entry(**fields) -> CatalogEntry:
    base = dict(
        nct_id="NCT00000001",
        title="t",
        conditions=[],
        mesh_terms=[],
        mesh_ancestors=[],
        interventions=[],
        intervention_types=[],
        overall_status="COMPLETED",
        phases=[],
        study_type="INTERVENTIONAL",
        sex="ALL",
        minimum_age_years=None,
        maximum_age_years=None,
        start_date=None,
    )
    return CatalogEntry(**{**base, **fields})


def test_shared_conditions_mesh_interventions_and_ages() -> None:
    seed = entry(
        conditions=["Lupus Nephritis"],
        mesh_terms=["Nephritis", "Lupus Nephritis"],
        interventions=["Rituximab"],
        intervention_types=["BIOLOGICAL"],
        minimum_age_years=18,
        maximum_age_years=60,
    )
    hit = entry(
        conditions=["lupus nephritis", "SLE"],
        mesh_terms=["Nephritis"],
        interventions=["rituximab", "Placebo"],
        intervention_types=["BIOLOGICAL", "DRUG"],
        minimum_age_years=16,
        maximum_age_years=75,
    )
    assert explain(seed, hit) == [
        "shared conditions: Lupus Nephritis",
        "shared MeSH terms: Nephritis",
        "shared interventions: Rituximab",
        "overlapping ages 18 to 60 years",
    ]


def test_similar_conditions_when_no_name_is_shared() -> None:
    seed = entry(conditions=["Lupus Nephritis"])
    hit = entry(conditions=["Systemic Lupus Erythematosus", "Fatigue"])
    assert explain(seed, hit) == ["similar conditions: Systemic Lupus Erythematosus"]


def test_same_intervention_type_and_open_ended_ages() -> None:
    seed = entry(intervention_types=["DRUG"], minimum_age_years=18)
    hit = entry(intervention_types=["DRUG"], minimum_age_years=65)
    assert explain(seed, hit) == ["same intervention type: drug", "both enrol ages 65 years and older"]


def test_disjoint_ages_and_nothing_shared_give_no_reasons() -> None:
    assert (
        explain(entry(maximum_age_years=17, conditions=["Asthma"]), entry(minimum_age_years=18, conditions=["Gout"]))
        == []
    )
