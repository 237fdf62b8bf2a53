// Package sluicewire is what a Go program needs to read and write Sluice's topics: the released schemas, Avro
// single-object encoding with the right fingerprints, and owners' request signatures. See docs/clients.md.
package sluicewire

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// goavro (2.10.1, and its latest release) computes a wrong Parsing Canonical Form for Sluice's schemas: it keeps
// {"type":"long"} for a logical type where the specification says "long", and it prefixes a nested record's
// namespace with its parent's. Its Codec.Rabin, SingleFromNative and NativeFromSingle therefore use headers no Java
// producer writes. The canonical form is computed here, as the specification ("Parsing Canonical Form for Schemas")
// says, and goavro is used for the body only (BinaryFromNative, NativeFromBinary).

var primitives = map[string]bool{"null": true, "boolean": true, "int": true, "long": true, "float": true,
	"double": true, "bytes": true, "string": true}

const emptyFingerprint uint64 = 0xC15D213AA4D7A795

var rabinTable = func() (table [256]uint64) {
	for i := range table {
		fp := uint64(i)
		for j := 0; j < 8; j++ {
			fp = (fp >> 1) ^ (emptyFingerprint & -(fp & 1))
		}
		table[i] = fp
	}
	return table
}()

// Fingerprint64 is CRC-64-AVRO, the 64-bit Rabin fingerprint of the Avro specification, of some bytes.
func Fingerprint64(data []byte) uint64 {
	fp := emptyFingerprint
	for _, b := range data {
		fp = (fp >> 8) ^ rabinTable[byte(fp)^b]
	}
	return fp
}

// CanonicalForm is the Parsing Canonical Form of a schema's JSON text.
func CanonicalForm(schemaJSON []byte) (string, error) {
	var schema interface{}
	if err := json.Unmarshal(schemaJSON, &schema); err != nil {
		return "", fmt.Errorf("not JSON: %w", err)
	}
	var out strings.Builder
	if err := canonical(&out, schema, "", map[string]bool{}); err != nil {
		return "", err
	}
	return out.String(), nil
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func fullName(name, namespace string) string {
	if strings.Contains(name, ".") || namespace == "" {
		return name
	}
	return namespace + "." + name
}

func canonical(out *strings.Builder, schema interface{}, namespace string, seen map[string]bool) error {
	switch s := schema.(type) {
	case string:
		if primitives[s] {
			out.WriteString(quote(s))
		} else {
			out.WriteString(quote(fullName(s, namespace)))
		}
		return nil
	case []interface{}:
		out.WriteString("[")
		for i, branch := range s {
			if i > 0 {
				out.WriteString(",")
			}
			if err := canonical(out, branch, namespace, seen); err != nil {
				return err
			}
		}
		out.WriteString("]")
		return nil
	case map[string]interface{}:
		kind, isString := s["type"].(string)
		if !isString || (kind != "record" && kind != "error" && kind != "enum" && kind != "fixed" &&
			kind != "array" && kind != "map") {
			return canonical(out, s["type"], namespace, seen) // {"type":"long","logicalType":...} is "long"
		}
		switch kind {
		case "array":
			out.WriteString(`{"type":"array","items":`)
			if err := canonical(out, s["items"], namespace, seen); err != nil {
				return err
			}
			out.WriteString("}")
			return nil
		case "map":
			out.WriteString(`{"type":"map","values":`)
			if err := canonical(out, s["values"], namespace, seen); err != nil {
				return err
			}
			out.WriteString("}")
			return nil
		}
		name, _ := s["name"].(string)
		if name == "" {
			return fmt.Errorf("a %s without a name", kind)
		}
		ns := namespace
		if own, ok := s["namespace"].(string); ok {
			ns = own // a namespace attribute is absolute, never relative to the enclosing one
		}
		full := fullName(name, ns)
		if seen[full] {
			out.WriteString(quote(full))
			return nil
		}
		seen[full] = true
		inner := ""
		if i := strings.LastIndex(full, "."); i >= 0 {
			inner = full[:i]
		}
		if kind == "error" {
			kind = "record"
		}
		out.WriteString(`{"name":` + quote(full) + `,"type":` + quote(kind))
		switch kind {
		case "record":
			fields, _ := s["fields"].([]interface{})
			out.WriteString(`,"fields":[`)
			for i, f := range fields {
				field, _ := f.(map[string]interface{})
				fieldName, _ := field["name"].(string)
				if i > 0 {
					out.WriteString(",")
				}
				out.WriteString(`{"name":` + quote(fieldName) + `,"type":`)
				if err := canonical(out, field["type"], inner, seen); err != nil {
					return err
				}
				out.WriteString("}")
			}
			out.WriteString("]")
		case "enum":
			symbols, _ := s["symbols"].([]interface{})
			out.WriteString(`,"symbols":[`)
			for i, symbol := range symbols {
				if i > 0 {
					out.WriteString(",")
				}
				text, _ := symbol.(string)
				out.WriteString(quote(text))
			}
			out.WriteString("]")
		case "fixed":
			size, _ := s["size"].(float64)
			out.WriteString(`,"size":` + strconv.Itoa(int(size)))
		}
		out.WriteString("}")
		return nil
	}
	return fmt.Errorf("not a schema: %v", schema)
}
