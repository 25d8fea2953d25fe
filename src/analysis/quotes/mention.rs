//! Speaker mentions: the phrase a cue points at (`Wang Yi`, `he`, `the
//! minister`, `officials`), by token range and kind. Attribution finds them;
//! speaker resolution ([`crate::analysis::speakers`]) turns them into
//! speakers.

/// What kind of phrase names a speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    /// A capitalised name (`Wang Yi`, `the State Department`).
    Name,
    /// A pronoun (`he`, `she`, `it`, `they`).
    Pronoun,
    /// A definite role noun (`the minister`, `the company`).
    RoleNoun,
    /// An indefinite description (`a spokesman`, `officials`, `sources`).
    Descriptor,
    /// A group that names no single speaker (`both sides`).
    Collective,
    /// A document whose owner speaks (`China's reading notes`): owner token.
    Document(Option<usize>),
    /// A subject the language leaves unwritten (`«…», dijo.`, `「…」と述べた`
    /// after a sentence about the speaker): the last speaker. The range is
    /// the cue's.
    Dropped,
}

/// The phrase a cue points at, by token range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// First token.
    pub first: usize,
    /// Last token (inclusive).
    pub last: usize,
    /// How it names the speaker.
    pub kind: MentionKind,
    /// The words written for the speaker when they are not the phrase
    /// resolved: a relative pronoun (`who` in `Sanders, who said`).
    pub written: Option<(usize, usize)>,
}

impl Mention {
    /// The token range to report as the speaker mention.
    pub fn written_range(&self) -> (usize, usize) {
        self.written.unwrap_or((self.first, self.last))
    }
}
