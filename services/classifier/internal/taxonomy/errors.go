package taxonomy

import "errors"

// Sentinel errors returned by Load, wrapped with the offending entry named.
var (
	// ErrNoVersion means the taxonomy has no version string.
	ErrNoVersion = errors.New("no version")
	// ErrTooManySubjects means the taxonomy lists more than MaxSubjects subjects.
	ErrTooManySubjects = errors.New("too many subjects")
	// ErrMissingID means an entry has no id.
	ErrMissingID = errors.New("missing id")
	// ErrDuplicateID means two entries share an id.
	ErrDuplicateID = errors.New("duplicate id")
	// ErrMissingName means a country or entity has no display name.
	ErrMissingName = errors.New("missing name")
	// ErrBadSide means a country's side is not ru, cn or other.
	ErrBadSide = errors.New("side must be ru, cn or other")
	// ErrDuplicateSide means two countries claim the ru or the cn side.
	ErrDuplicateSide = errors.New("side given to two countries")
	// ErrMissingSide means no country holds the ru or the cn side.
	ErrMissingSide = errors.New("both an ru and a cn country are required")
	// ErrBadKind means an entity's kind is unknown.
	ErrBadKind = errors.New("kind must be company, agency, org, person or product")
	// ErrUnknownCountry means an entity names a country the taxonomy lacks.
	ErrUnknownCountry = errors.New("unknown country")
	// ErrUnknownTopic means a topic id is not one of TopicTokens or not defined.
	ErrUnknownTopic = errors.New("unknown topic (see TopicTokens)")
	// ErrUnknownLanguage means a lexicon uses a language code the taxonomy does not list.
	ErrUnknownLanguage = errors.New("unknown language (not in the taxonomy's languages)")
	// ErrNoLanguages means the taxonomy lists no languages.
	ErrNoLanguages = errors.New("no languages")
	// ErrBadLanguage means a listed language code is empty, "any", not lower case or repeated.
	ErrBadLanguage = errors.New("language code must be lower case, not \"any\", listed once")
	// ErrBadMonths means a language's month list does not give twelve months, each with a form.
	ErrBadMonths = errors.New("twelve months, each with at least one form, are required")
	// ErrDuplicatePack means two language packs, or a pack and the taxonomy's list, claim one language.
	ErrDuplicatePack = errors.New("language given twice")
	// ErrUnknownEntry means a language pack names an entry or list the taxonomy lacks.
	ErrUnknownEntry = errors.New("no such entry in the taxonomy")
	// ErrEmptyLexicon means a required term list is empty.
	ErrEmptyLexicon = errors.New("no terms")
	// ErrEmptyTerm means a term is empty after expansion.
	ErrEmptyTerm = errors.New("empty term")
	// ErrInvalidTerm means a term has a stray "*", brace or comma, or is not UTF-8.
	ErrInvalidTerm = errors.New("invalid term: stray '*', brace or comma, or not UTF-8")
	// ErrUnbalancedBraces means a term's braces are unbalanced or nested.
	ErrUnbalancedBraces = errors.New("unbalanced or nested braces")
	// ErrTooManyExpansions means a term expands to more than 256 literals.
	ErrTooManyExpansions = errors.New("term expands to too many alternatives")
	// ErrTermTooLong means a literal is longer than 64 characters.
	ErrTermTooLong = errors.New("term longer than 64 characters")
	// ErrBadStage means an agreement stage id is unknown.
	ErrBadStage = errors.New("unknown agreement stage")
	// ErrNoSignedStage means the taxonomy defines no signed stage.
	ErrNoSignedStage = errors.New("the signed stage is required")
	// ErrUnknownGroup means an entity's group names no entity.
	ErrUnknownGroup = errors.New("unknown group entity")
	// ErrBadGroup means an entity's group is of another country or is itself in a group.
	ErrBadGroup = errors.New("group must be an entity of the same country that is in no group itself")
	// ErrBadAgreementKind means an agreement kind id is unknown.
	ErrBadAgreementKind = errors.New("unknown agreement kind")
)
