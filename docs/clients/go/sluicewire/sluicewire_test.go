package sluicewire

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const released = "../../../../schemas/src/main/resources/io/sluice/schemas/released"
const headerTable = "../../../schemas/headers.md"

func TestTheHeaderOfEveryTopicsNewestSchemaIsTheOneInTheGeneratedTable(t *testing.T) {
	table, err := os.ReadFile(headerTable)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(released, "v*", "*.avsc"))
	topics := map[string]bool{}
	for _, file := range files {
		topics[strings.TrimSuffix(filepath.Base(file), ".avsc")] = true
	}
	if len(topics) < 13 {
		t.Fatalf("found only %d topics under %s", len(topics), released)
	}
	for topic := range topics {
		schemas, err := LoadTopic(released, topic)
		if err != nil {
			t.Fatal(err)
		}
		row := "| `" + topic + "` | " + schemas.NewestVersion + " | `" + spaced(schemas.Header()) + "` |"
		if !strings.Contains(string(table), row) {
			t.Errorf("%s has no row %s", headerTable, row)
		}
	}
}

func spaced(header []byte) string {
	pairs := make([]string, len(header))
	for i, b := range header {
		pairs[i] = strings.ToUpper(hex.EncodeToString([]byte{b}))
	}
	return strings.Join(pairs, " ")
}

func TestAJobSubmittedIsWrittenAndReadBack(t *testing.T) {
	requests, err := LoadTopic(released, "sluice.job.requests")
	if err != nil {
		t.Fatal(err)
	}
	now := time.UnixMilli(1765000000123).UTC()
	value, err := requests.Encode(JobSubmitted(Metadata("go-recipe/test", "go-1", now), "go-1", "alice", "hello",
		"linux", Step("hello", "echo hello from go")))
	if err != nil {
		t.Fatal(err)
	}
	name, metadata, payload, err := requests.Decode(value)
	if err != nil {
		t.Fatal(err)
	}
	spec := payload["spec"].(map[string]interface{})
	step := spec["steps"].([]interface{})[0].(map[string]interface{})
	if name != "io.sluice.events.job.JobSubmitted" || payload["jobId"] != "go-1" || spec["owner"] != "alice" ||
		step["script"].(map[string]interface{})["string"] != "echo hello from go" ||
		!metadata["occurredAt"].(time.Time).Equal(now) || spec["network"] != "ISOLATED" {
		t.Errorf("read back %s %v %v", name, metadata, payload)
	}
	if _, _, _, err := requests.Decode(append([]byte{0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8}, value[10:]...)); err == nil ||
		!strings.Contains(err.Error(), "is no released schema's") {
		t.Errorf("a value with an unknown header: %v", err)
	}
}

func TestASignatureIsAnEs256JwsOverTheValueThatTheOwnersPublicKeyVerifies(t *testing.T) {
	private, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKCS8PrivateKey(private)
	file := filepath.Join(t.TempDir(), "key.pem")
	if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	key, err := ReadOwnerKey(file)
	if err != nil {
		t.Fatal(err)
	}
	value := []byte{0xC3, 0x01, 42}
	jws, err := key.Sign(value)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(jws, ".")
	header, _ := base64.RawURLEncoding.DecodeString(parts[0])
	signature, _ := base64.RawURLEncoding.DecodeString(parts[2])
	if len(parts) != 3 || parts[1] != "" || string(header) != `{"alg":"ES256","kid":"`+key.KeyID+`"}` ||
		len(signature) != 64 {
		t.Fatalf("not a detached ES256 JWS: %s", jws)
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + base64.RawURLEncoding.EncodeToString(value)))
	r, s := new(big.Int).SetBytes(signature[:32]), new(big.Int).SetBytes(signature[32:])
	if !ecdsa.Verify(&private.PublicKey, digest[:], r, s) {
		t.Error("the owner's public key does not verify the signature")
	}
}
