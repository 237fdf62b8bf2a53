// Command decode-event prints events of a Sluice topic, one line each: the event's name and its payload as JSON.
//
// Usage: decode-event RELEASED_DIR TOPIC VALUE_FILE...
//
// Each VALUE_FILE holds one record value as a Kafka consumer received it (single-object encoded). Exit code 1,
// with the reason, when a value does not decode.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"example.com/sluice-client/sluicewire"
)

func main() {
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "usage: decode-event RELEASED_DIR TOPIC VALUE_FILE...")
		os.Exit(2)
	}
	schemas, err := sluicewire.LoadTopic(os.Args[1], os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "decode-event:", err)
		os.Exit(2)
	}
	for _, file := range os.Args[3:] {
		value, err := os.ReadFile(file)
		if err == nil {
			var name string
			var payload map[string]interface{}
			if name, _, payload, err = schemas.Decode(value); err == nil {
				text, _ := json.Marshal(payload)
				fmt.Println(name[strings.LastIndex(name, ".")+1:], string(text))
				continue
			}
		}
		fmt.Fprintln(os.Stderr, "decode-event:", file+":", err)
		os.Exit(1)
	}
}
