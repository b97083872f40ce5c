package org.bcflow.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private static long count(Architecture a, Class<?> kind) {
        return a.blocks().stream().filter(kind::isInstance).count();
    }

    @Test
    void thePapersCifarNetwork() {
        Architecture a = Architecture.parse("2x128C3-MP2-2x256C3-MP2-2x512C3-MP2-2x1024FC-10");
        assertEquals(6, count(a, Architecture.Conv.class));
        assertEquals(3, count(a, Architecture.Pool.class));
        assertEquals(2, count(a, Architecture.Dense.class));
        assertEquals(10, a.classes());
        assertEquals("128C3-128C3-MP2-256C3-256C3-MP2-512C3-512C3-MP2-1024FC-1024FC-10", a.toString());
        assertFalse(a.isMlp());
        List<FeatureMap> shapes = a.shapes(new FeatureMap(3, 32, 32));
        assertEquals(new FeatureMap(128, 32, 32), shapes.get(1));
        assertEquals(new FeatureMap(128, 16, 16), shapes.get(2));
        assertEquals(new FeatureMap(512, 4, 4), shapes.get(8));
        assertEquals(FeatureMap.vector(10), shapes.get(shapes.size() - 1));
        Architecture.Conv c = (Architecture.Conv) a.blocks().get(0);
        assertEquals(3, c.k());
        assertEquals(Padding.SAME, c.padding());
        assertEquals("2x128C3", c.token());
    }

    @Test
    void aSmallCnnAndAnMlp() {
        Architecture cnn = Architecture.parse("32C3-MP2-64C3-MP2-512FC-10");
        List<FeatureMap> shapes = cnn.shapes(new FeatureMap(1, 28, 28));
        assertEquals(List.of(new FeatureMap(32, 28, 28), new FeatureMap(32, 14, 14), new FeatureMap(64, 14, 14),
                new FeatureMap(64, 7, 7), FeatureMap.vector(512), FeatureMap.vector(10)), shapes);
        assertEquals("32C3-MP2-64C3-MP2-512FC-10", cnn.toString());

        Architecture mlp = Architecture.parse("1024FC-1024FC-1024FC-10");
        assertTrue(mlp.isMlp());
        assertEquals(3, mlp.blocks().size());
        assertEquals(10, mlp.classes());
        assertEquals(List.of(1024, 1024, 1024), java.util.Arrays.stream(mlp.hidden()).boxed().toList());
        assertEquals(mlp, Architecture.mlp(new int[] {1024, 1024, 1024}, 10));

        Architecture valid = Architecture.parse("8C2v-3");
        assertEquals(new FeatureMap(8, 4, 6), valid.shapes(new FeatureMap(1, 5, 7)).get(0));
        assertEquals(Architecture.parse("10"), new Architecture(List.of(), 10));
    }

    /** Each bad spec: one line naming the token that is wrong. */
    private static void refused(String spec, String token, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Architecture.parse(spec), spec);
        oneLine(e, token, why);
    }

    private static void oneLine(IllegalArgumentException e, String token, String why) {
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("token '" + token + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void badSpecsAreOneLineNamingTheToken() {
        refused("32C3-MP2-64Q3-10", "64Q3", "not a layer");
        refused("32C3-mp2-10", "mp2", "not a layer");
        refused("0C3-10", "0C3", "channels must be at least 1");
        refused("0x128C3-10", "0x128C3", "repeat count must be 1..64");
        refused("65x8FC-10", "65x8FC", "repeat count must be 1..64");
        refused("128C2-10", "128C2", "same padding needs an odd kernel");
        refused("32C0v-10", "32C0v", "kernel size must be at least 1");
        refused("MP0-10", "MP0", "pool size must be at least 1");
        refused("0FC-10", "0FC", "units must be at least 1");
        refused("32C3-MP2", "MP2", "the last token must be the class count");
        refused("32C3-MP2-", "", "the last token must be the class count");
        refused("32C3--10", "", "empty token");
        refused("32C3-1", "1", "at least 2 classes");
        refused("99999999999C3-10", "99999999999C3", "too large");
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> Architecture.parse(" "));
        assertTrue(empty.getMessage().startsWith("empty architecture"), empty.getMessage());
    }

    @Test
    void shapesThatDoNotFitAreOneLineNamingTheToken() {
        Architecture big = Architecture.parse("8C5-MP2-16C5v-10");
        oneLine(assertThrows(IllegalArgumentException.class, () -> big.shapes(new FeatureMap(1, 4, 4))),
                "8C5", "a 5x5 kernel is larger than its 4x4 input");
        oneLine(assertThrows(IllegalArgumentException.class, () -> big.shapes(new FeatureMap(1, 8, 8))),
                "16C5v", "a 5x5 kernel is larger than its 4x4 input");
        Architecture pool = Architecture.parse("8C3-MP2-10");
        oneLine(assertThrows(IllegalArgumentException.class, () -> pool.shapes(new FeatureMap(1, 7, 8))),
                "MP2", "a 2x2 pool does not divide its 7x8 input");
    }
}
