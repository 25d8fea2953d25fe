//! How much to trust an extracted quote: a score in `0..=1` from the evidence
//! the extractor had, calibrated so that it reads as a precision.
//!
//! A quote's evidence class is what kind of quote it is, where its
//! attribution came from (a cue next to the quote, or inherited from the
//! sentence or paragraph before), how the speaker is named (a name, a pronoun,
//! a role noun, a vague description) and whether that mention resolved to an
//! entity of the article. Each class's score is the share of quotes of that
//! class whose span *and* speaker were right on the PolNeAR training split
//! (`python3 tools/score_quotes.py polnear --split train --calibration`),
//! rounded to a twentieth; the dev split checks it. Callers filter with
//! `min_confidence` to trade recall for precision.

use super::attribution::{Draft, Source};
use super::mention::MentionKind;
use crate::model::QuoteKind;

/// How a quote's speaker mention resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// To an entity of the article (a person or body named in it).
    Entity,
    /// A name no entity covers, kept as written.
    Unlinked,
    /// No speaker.
    Nobody,
}

/// The confidence of `draft`, attributed as `resolution`.
pub fn confidence(draft: &Draft, resolution: Resolution) -> f32 {
    use MentionKind as M;
    use QuoteKind as K;
    use Resolution as R;
    let mention = draft.attribution.map(|a| a.mention.kind);
    // Measured on PolNeAR train for quotes whose cue is next to them (in
    // parentheses: share right, quotes of the class).
    let measured: f32 = match (draft.kind, mention, resolution) {
        // A quote that answers no "who said" is no answer.
        (_, None, _) | (_, _, R::Nobody)
            if !matches!(mention, Some(M::Pronoun | M::RoleNoun | M::Descriptor)) =>
        {
            0.1
        }
        (K::Term, _, _) => 0.1,
        (K::Direct, Some(M::Name), R::Entity) => 0.9, // 91.6%, 2265
        (K::Direct, Some(M::Name), _) => 0.85,        // 86.7%, 15
        (K::Direct, Some(M::Pronoun), R::Entity) => 0.9, // 90.2%, 1002
        (K::Direct, Some(M::Pronoun), _) => 0.65,     // 68.4%, 19
        (K::Direct, Some(M::RoleNoun), _) => 0.85,    // 85.5%, 110; 85.0%, 20
        (K::Direct, Some(M::Descriptor), _) => 0.75,  // 77.3%, 141
        (K::Direct, _, _) => 0.7,
        // Fragments outside a reported statement (those inside one are
        // scored with it).
        (K::Partial, Some(M::Descriptor), _) => 0.35, // 35.9%, 39
        (K::Partial, _, _) => 0.5,                    // 49.7%, 358
        (K::Indirect, Some(M::Name | M::Pronoun | M::Document(_)), R::Entity) => 0.85, // 85.0%, 2452 and 728
        (K::Indirect, Some(M::Name), _) => 0.85,                                       // 87.0%, 23
        (K::Indirect, Some(M::Descriptor), _) => 0.8,                                  // 82.5%, 785
        (K::Indirect, Some(M::RoleNoun), R::Entity) => 0.85,                           // 90.7%, 43
        (K::Indirect, Some(M::Collective), _) => 0.5,                                  // 52.9%, 17
        (K::Indirect, _, _) => 0.75, // 78.7-79.0%, 89-238
    };
    // Attributions without a cue of their own, or carried over from an
    // earlier sentence, are right less often (79.3% and 52-61%).
    let has_cue = draft.attribution.is_some_and(|a| a.cue.is_some());
    let inherited = matches!(draft.source, Some(Source::Inherited));
    let ceiling: f32 = match (has_cue, inherited) {
        (true, false) => 1.0,
        (false, false) => 0.75,
        (_, true) => 0.55,
    };
    measured.min(ceiling)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::quotes::attribution::Attribution;
    use crate::analysis::quotes::mention::Mention;

    fn draft(kind: QuoteKind, mention: Option<MentionKind>, source: Option<Source>) -> Draft {
        Draft {
            pieces: vec![(0, 3)],
            open: None,
            close: None,
            kind,
            attribution: mention.map(|kind| Attribution {
                mention: Mention {
                    first: 5,
                    last: 6,
                    kind,
                    written: None,
                },
                cue: Some((4, 4)),
            }),
            source,
        }
    }

    /// The confidence of a quote of `kind` whose speaker is a `mention`
    /// found at `source`, resolved to `resolution`.
    fn score(
        kind: QuoteKind,
        mention: Option<MentionKind>,
        source: Option<Source>,
        resolution: Resolution,
    ) -> f32 {
        confidence(&draft(kind, mention, source), resolution)
    }

    #[test]
    fn named_direct_quotes_rank_above_descriptions_and_nobody() {
        use MentionKind::{Descriptor, Name, Pronoun};
        use Resolution::{Entity, Nobody};
        let before = Some(Source::Before);
        let named = score(QuoteKind::Direct, Some(Name), before, Entity);
        let pronoun = score(QuoteKind::Direct, Some(Pronoun), before, Entity);
        let described = score(QuoteKind::Direct, Some(Descriptor), before, Nobody);
        let nobody = score(QuoteKind::Direct, None, None, Nobody);
        assert!(named >= pronoun && pronoun > described && described > nobody);
        assert!(nobody > 0.0 && named <= 1.0);
    }

    #[test]
    fn inherited_and_indirect_quotes_are_less_sure() {
        use QuoteKind::{Direct, Indirect};
        let name = Some(MentionKind::Name);
        let cued = score(Direct, name, Some(Source::Before), Resolution::Entity);
        let inherited = score(Direct, name, Some(Source::Inherited), Resolution::Entity);
        let indirect = score(Indirect, name, Some(Source::Before), Resolution::Entity);
        assert!(cued > inherited);
        assert!(cued > indirect);
    }
}
