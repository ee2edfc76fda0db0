package bus

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newspipe/newspipe/pkg/topology"
)

// ErrKeyExists is returned by KV.Create for a key that is already set.
var ErrKeyExists = errors.New("bus: key exists")

// ErrKeyNotFound is returned by KV.Get for a key that is not set.
var ErrKeyNotFound = errors.New("bus: key not found")

// KV is a JetStream key-value bucket.
type KV struct {
	kv jetstream.KeyValue
}

// KV creates or opens bucket (namespaced by the topology). A zero ttl keeps
// keys forever. On a Provisioned bus it only opens the bucket, waiting
// until it exists (or ctx is done); ttl is the provisioner's to set.
func (b *Bus) KV(ctx context.Context, bucket string, ttl time.Duration) (*KV, error) {
	if b.provisioned {
		var kv jetstream.KeyValue
		err := b.retry(ctx, func(ctx context.Context) error {
			var err error
			kv, err = b.js.KeyValue(ctx, b.topo.Bucket(bucket))
			if errors.Is(err, jetstream.ErrBucketNotFound) {
				return fmt.Errorf("%w: %w", errNotProvisioned, err)
			}
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("bus: open bucket %s: %w", bucket, err)
		}
		return &KV{kv: kv}, nil
	}
	storage := jetstream.FileStorage
	if b.topo.Limits.Storage == topology.Memory {
		storage = jetstream.MemoryStorage
	}
	kv, err := b.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:   b.topo.Bucket(bucket),
		TTL:      ttl,
		Storage:  storage,
		Replicas: max(1, b.topo.Limits.Replicas),
	})
	if err != nil {
		return nil, fmt.Errorf("bus: open bucket %s: %w", bucket, err)
	}
	return &KV{kv: kv}, nil
}

// Get returns the value of key, or ErrKeyNotFound.
func (k *KV) Get(ctx context.Context, key string) ([]byte, error) {
	e, err := k.kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil, ErrKeyNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("bus: kv get %s: %w", key, err)
	}
	return e.Value(), nil
}

// Put sets key to value.
func (k *KV) Put(ctx context.Context, key string, value []byte) error {
	if _, err := k.kv.Put(ctx, key, value); err != nil {
		return fmt.Errorf("bus: kv put %s: %w", key, err)
	}
	return nil
}

// Create sets key only if it is not set yet; otherwise it returns
// ErrKeyExists. It is atomic across replicas.
func (k *KV) Create(ctx context.Context, key string, value []byte) error {
	_, err := k.kv.Create(ctx, key, value)
	if errors.Is(err, jetstream.ErrKeyExists) {
		return ErrKeyExists
	}
	if err != nil {
		return fmt.Errorf("bus: kv create %s: %w", key, err)
	}
	return nil
}

// KVPutMessage returns a write of key=value into bucket (namespaced by t) as
// an ordinary Message, so that a stage handler can return it among its
// outputs and the stage loop stores it, like the events, before acking the
// input. A JetStream bucket is a stream on subjects "$KV.<bucket>.<key>": a
// publish there is exactly a Put. The bucket must exist (open it with KV).
func KVPutMessage(t topology.Topology, bucket, key string, value []byte, msgID string) Message {
	return Message{Subject: "$KV." + t.Bucket(bucket) + "." + key, MsgID: msgID, Data: value}
}
