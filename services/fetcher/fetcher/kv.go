package fetcher

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/topology"
)

// kvPut returns a write of key=value into a JetStream key-value bucket as an
// ordinary message, so that a handler can return it among its outputs and
// the stage loop stores it, like the events, before acknowledging the input.
// A KV bucket is a stream whose subjects are "$KV.<bucket>.<key>"; a Put is
// exactly a publish there, and Get reads the last message on the subject.
// The bucket must exist (Fetcher.Run opens it).
//
// This belongs in pkg/bus (a KV.PutMessage); it is here until pkg has it.
func kvPut(t topology.Topology, bucket, key string, value []byte, msgID string) bus.Message {
	return bus.Message{Subject: "$KV." + t.Bucket(bucket) + "." + key, MsgID: msgID, Data: value}
}

// shortHash identifies a value in a message id.
func shortHash(v []byte) string {
	sum := sha256.Sum256(v)
	return hex.EncodeToString(sum[:8])
}
