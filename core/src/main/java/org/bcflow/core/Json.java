package org.bcflow.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The one JSON mapper of bcflow: every report, {@code design.json} and the network file go through it.
 * Record components become snake_case keys, output is indented, and map entries are written in key
 * order so that the same content gives the same bytes.
 */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /**
     * Reads decimals as written (12.70 stays 12.70), for files whose numbers must be checked exactly
     * rather than rounded to a double.
     */
    public static final ObjectReader EXACT = MAPPER.reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .with(JsonNodeFactory.withExactBigDecimals(true));

    private Json() {
    }

    /** A record, list or tree as indented JSON text with a final newline, as every bcflow file ends. */
    public static String text(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // records of numbers, strings and lists always serialize
        }
    }

    /** A record as a JSON tree, to nest it in a report built from several parts. */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }
}
