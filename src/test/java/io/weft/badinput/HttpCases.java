package io.weft.badinput;

import java.util.List;
import java.util.Random;

/**
 * The HTTP part of the bad-input suite, generated from a fixed seed: the same seed gives the same cases in the
 * same order, so a failing case (named by its number and what it is) can be run again.
 */
final class HttpCases {
    /** Change it to explore other mutations; a failure report names the seed it was found with. */
    static final long SEED = 20261201L;

    private HttpCases() {
    }

    static List<HttpCase> generate() {
        Random random = new Random(SEED);
        CaseBook book = new CaseBook();
        JsonCases json = new JsonCases(book, random);
        for (Samples.JsonSample sample : Samples.json()) {
            json.add(sample);
        }
        new XmlCases(book, random).add();
        new ApiCases(book, random).add();
        return book.cases();
    }
}
