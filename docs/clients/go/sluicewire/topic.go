package sluicewire

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/linkedin/goavro/v2"
)

// Marker is the first two bytes of every single-object encoded value; HeaderLength counts them and the fingerprint.
var Marker = []byte{0xC3, 0x01}

const HeaderLength = 10

type release struct {
	version string
	codec   *goavro.Codec
}

// TopicSchemas holds every released writer schema of one topic, by fingerprint; the newest is the one to write with.
type TopicSchemas struct {
	Topic         string
	byFingerprint map[uint64]release
	newest        uint64
	// NewestVersion is the released version Encode writes with, e.g. "v5".
	NewestVersion string
}

// LoadTopic reads versions.txt and <version>/<topic>.avsc of every released version from releasedDir.
func LoadTopic(releasedDir, topic string) (*TopicSchemas, error) {
	list, err := os.Open(filepath.Join(releasedDir, "versions.txt"))
	if err != nil {
		return nil, err
	}
	defer list.Close()
	t := &TopicSchemas{Topic: topic, byFingerprint: map[uint64]release{}}
	lines := bufio.NewScanner(list)
	for lines.Scan() {
		version := strings.TrimSpace(lines.Text())
		if version == "" || strings.HasPrefix(version, "#") {
			continue
		}
		path := filepath.Join(releasedDir, version, topic+".avsc")
		text, err := os.ReadFile(path)
		if os.IsNotExist(err) {
			continue // the topic did not exist yet in this version
		} else if err != nil {
			return nil, err
		}
		form, err := CanonicalForm(text)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		codec, err := goavro.NewCodec(string(text))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		fingerprint := Fingerprint64([]byte(form))
		t.byFingerprint[fingerprint] = release{version, codec}
		t.newest, t.NewestVersion = fingerprint, version
	}
	if err := lines.Err(); err != nil {
		return nil, err
	}
	if t.NewestVersion == "" {
		return nil, fmt.Errorf("%s: no released schema of %s", releasedDir, topic)
	}
	return t, nil
}

// Header is the 10-byte single-object header of the newest released schema.
func (t *TopicSchemas) Header() []byte {
	header := append([]byte{}, Marker...)
	return binary.LittleEndian.AppendUint64(header, t.newest)
}

// Encode writes an envelope (goavro's native form: maps, goavro.Union for union branches) with the newest schema.
func (t *TopicSchemas) Encode(envelope map[string]interface{}) ([]byte, error) {
	return t.byFingerprint[t.newest].codec.BinaryFromNative(t.Header(), envelope)
}

// Decode reads a value written with any released schema: the event's full name, its metadata and its payload.
func (t *TopicSchemas) Decode(value []byte) (string, map[string]interface{}, map[string]interface{}, error) {
	if len(value) < HeaderLength || !bytes.Equal(value[:2], Marker) {
		return "", nil, nil, fmt.Errorf("%s: not single-object encoded: starts %s", t.Topic,
			hex.EncodeToString(value[:min(len(value), HeaderLength)]))
	}
	r, known := t.byFingerprint[binary.LittleEndian.Uint64(value[2:HeaderLength])]
	if !known {
		return "", nil, nil, fmt.Errorf("%s: header %s is no released schema's (a newer release? see "+
			"docs/schemas/headers.md)", t.Topic, hex.EncodeToString(value[:HeaderLength]))
	}
	native, rest, err := r.codec.NativeFromBinary(value[HeaderLength:])
	if err != nil {
		return "", nil, nil, fmt.Errorf("%s: %w", t.Topic, err)
	}
	if len(rest) != 0 {
		return "", nil, nil, fmt.Errorf("%s: %d bytes left over after the body", t.Topic, len(rest))
	}
	envelope := native.(map[string]interface{})
	for name, payload := range envelope["payload"].(map[string]interface{}) { // a union branch: {name: value}
		return name, envelope["metadata"].(map[string]interface{}), payload.(map[string]interface{}), nil
	}
	return "", nil, nil, fmt.Errorf("%s: an envelope without a payload", t.Topic)
}

func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}
