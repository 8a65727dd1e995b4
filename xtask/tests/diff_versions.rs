//! The report on the two published schemas, checked against operationIds and
//! schema names counted independently, in both directions.

mod support;

use seqera_tower_codegen::load::read_schema;
use support::{NEW, OLD, operation_ids, schema_names, shared_schema};
use xtask::diff::{Kind, diff};

fn names(entries: &[xtask::diff::Entry], kind: Kind) -> std::collections::BTreeSet<String> {
    entries
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e| e.name.clone())
        .collect()
}

#[test]
fn both_directions_match_independent_counts() {
    for (from, to) in [(OLD, NEW), (NEW, OLD)] {
        let (from_path, to_path) = (shared_schema(from), shared_schema(to));
        let report = diff(
            &read_schema(&from_path).unwrap(),
            &read_schema(&to_path).unwrap(),
        );

        let (before, after) = (operation_ids(&from_path), operation_ids(&to_path));
        let added: std::collections::BTreeSet<String> =
            after.difference(&before).cloned().collect();
        let removed: std::collections::BTreeSet<String> =
            before.difference(&after).cloned().collect();
        assert_eq!(
            names(&report.operations, Kind::Added),
            added,
            "{from} → {to}"
        );
        assert_eq!(
            names(&report.operations, Kind::Removed),
            removed,
            "{from} → {to}"
        );
        let counts = report.operation_counts();
        assert_eq!((counts.added, counts.removed), (added.len(), removed.len()));
        assert!(report.summary_line().starts_with(&format!(
            "{} operations added, {} removed, ",
            added.len(),
            removed.len()
        )));
        // Every changed operation exists on both sides.
        for changed in names(&report.operations, Kind::Changed) {
            assert!(before.contains(&changed) && after.contains(&changed));
        }

        let (before, after) = (schema_names(&from_path), schema_names(&to_path));
        assert_eq!(
            names(&report.schemas, Kind::Added),
            after.difference(&before).cloned().collect(),
            "{from} → {to}"
        );
        assert_eq!(
            names(&report.schemas, Kind::Removed),
            before.difference(&after).cloned().collect(),
            "{from} → {to}"
        );
    }
}

#[test]
fn growth_is_mostly_additive_and_the_reverse_is_breaking() {
    let old = read_schema(&shared_schema(OLD)).unwrap();
    let new = read_schema(&shared_schema(NEW)).unwrap();
    let forward = diff(&old, &new);
    let backward = diff(&new, &old);
    // Removing what was added is breaking, line for line.
    assert_eq!(
        forward.operation_counts().added,
        backward.operation_counts().removed
    );
    assert_eq!(
        forward.operation_counts().changed,
        backward.operation_counts().changed
    );
    assert!(backward.operation_counts().breaking >= backward.operation_counts().removed);
    for entry in &forward.operations {
        if entry.kind == Kind::Added {
            assert!(!entry.is_breaking());
        }
    }
    assert!(diff(&new, &new).is_empty());
}
