// Package events encodes and decodes newspipe's protobuf events and names the
// NATS headers that travel with them.
package events

import (
	"errors"
	"fmt"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	// Also registers the event types for TypeHeader look-ups.
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
)

// Header names. Subscribers may filter on the Newspipe-* tag headers without
// decoding the payload.
const (
	HeaderType      = "Newspipe-Type" // full protobuf name, e.g. newspipe.v1.RawArticle
	HeaderArticleID = "Newspipe-Article-Id"
	HeaderTopics    = "Newspipe-Topics"    // comma-separated topic tokens
	HeaderAgreement = "Newspipe-Agreement" // "true" / "false"
	HeaderLang      = "Newspipe-Lang"
	HeaderRuCn      = "Newspipe-Rucn" // "true" / "false"
	HeaderTaxonomy  = "Newspipe-Taxonomy-Version"

	// Dead-letter headers, set on messages parked in NEWS_DLQ.
	HeaderDLQStage     = "Newspipe-Dlq-Stage"
	HeaderDLQError     = "Newspipe-Dlq-Error"
	HeaderDLQDelivered = "Newspipe-Dlq-Delivery-Count"
	HeaderDLQSubject   = "Newspipe-Dlq-Subject"
	HeaderDLQStreamSeq = "Newspipe-Dlq-Stream-Seq"
	HeaderDLQTime      = "Newspipe-Dlq-Time"
)

// ErrMalformed wraps every decoding failure: a malformed event is a
// permanent failure, never worth a retry.
var ErrMalformed = errors.New("events: malformed event")

// Marshal encodes m and returns its payload and the type header.
func Marshal(m proto.Message) ([]byte, map[string]string, error) {
	b, err := proto.Marshal(m)
	if err != nil {
		return nil, nil, fmt.Errorf("events: marshal %s: %w", m.ProtoReflect().Descriptor().FullName(), err)
	}
	return b, map[string]string{HeaderType: string(m.ProtoReflect().Descriptor().FullName())}, nil
}

// Unmarshal decodes data into m. A type header naming another type, or bytes
// that do not parse, give an error wrapping ErrMalformed.
func Unmarshal(data []byte, typeHeader string, m proto.Message) error {
	want := string(m.ProtoReflect().Descriptor().FullName())
	if typeHeader != "" && typeHeader != want {
		return fmt.Errorf("%w: got type %s, want %s", ErrMalformed, typeHeader, want)
	}
	if err := proto.Unmarshal(data, m); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrMalformed, want, err)
	}
	if field, id, ok := Identity(m); ok && id == "" {
		// Outputs are deduplicated by an id made from the input's: inputs
		// without one would all collapse into one output, and the rest be
		// acked and lost.
		return fmt.Errorf("%w: %s without %s", ErrMalformed, want, field)
	}
	return nil
}

// Identity returns the field that identifies an event of a pipeline type
// and its value; ok is false for other types.
func Identity(m proto.Message) (field, id string, ok bool) {
	switch e := m.(type) {
	case *newspipev1.FeedJob:
		return "source_id", e.GetSourceId(), true
	case *newspipev1.ArticleJob:
		return "id", e.GetId(), true
	case *newspipev1.RawArticle:
		return "id", e.GetId(), true
	case *newspipev1.CleanArticle:
		return "id", e.GetId(), true
	case *newspipev1.EnrichedArticle:
		return "article.id", e.GetArticle().GetId(), true
	case *newspipev1.AgreementAlert:
		return "key", e.GetKey(), true
	}
	return "", "", false
}

// JSON renders a payload as one line of JSON for people, choosing the type by
// the type header. Unknown types are rendered as base64 in an envelope.
func JSON(data []byte, typeHeader string) ([]byte, error) {
	mt, err := protoregistry.GlobalTypes.FindMessageByName(protoreflect.FullName(typeHeader))
	if err != nil {
		return nil, fmt.Errorf("%w: unknown type %q", ErrMalformed, typeHeader)
	}
	m := mt.New().Interface()
	if err := proto.Unmarshal(data, m); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrMalformed, typeHeader, err)
	}
	return protojson.MarshalOptions{UseProtoNames: true}.Marshal(m)
}
