package sluicewire

import (
	"crypto/rand"
	"fmt"
	"time"

	"github.com/linkedin/goavro/v2"
)

// NewUUID is a random (version 4) UUID in its text form, the form of EventMetadata.eventId.
func NewUUID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// Metadata is the EventMetadata of a new request.
func Metadata(producer, correlationID string, now time.Time) map[string]interface{} {
	return map[string]interface{}{"eventId": NewUUID(), "occurredAt": now, "correlationId": correlationID,
		"causationId": nil, "producer": producer}
}

// Step is a StepSpec running script with /bin/sh; the fields left out take their schema defaults.
func Step(name, script string) map[string]interface{} {
	return map[string]interface{}{"name": name, "script": goavro.Union("string", script)}
}

// JobSubmitted is a request envelope submitting a job; the fields left out take their schema defaults.
func JobSubmitted(metadata map[string]interface{}, jobID, owner, name, target string,
	steps ...map[string]interface{}) map[string]interface{} {
	list := make([]interface{}, len(steps))
	for i, step := range steps {
		list[i] = step
	}
	return map[string]interface{}{
		"metadata": metadata,
		"payload": goavro.Union("io.sluice.events.job.JobSubmitted", map[string]interface{}{
			"jobId": jobID,
			"spec":  map[string]interface{}{"owner": owner, "name": name, "target": target, "steps": list},
		}),
	}
}
