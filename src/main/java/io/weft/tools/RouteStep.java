package io.weft.tools;

import java.nio.file.Path;

/**
 * One step of a loaded route as the validate checks see it: where it is, which route, and what it says.
 *
 * @param name the header or property a SET_HEADER / SET_PROPERTY step sets, the bean a BEAN step calls
 * @param text the endpoint URI (FROM, TO), the expression or message (EXPRESSION, SET_*), the method (BEAN)
 * @param language the expression language of an EXPRESSION or SET_* step (simple, constant, ...)
 */
record RouteStep(Path file, int line, String routeId, Kind kind, String name, String text, String language) {
    enum Kind { FROM, TO, EXPRESSION, SET_HEADER, SET_PROPERTY, BEAN }

    boolean isEndpoint() {
        return kind == Kind.FROM || kind == Kind.TO;
    }

    /** The URI's scheme (component name), or null when it is no endpoint. */
    String scheme() {
        if (!isEndpoint() || text == null) {
            return null;
        }
        int colon = text.indexOf(':');
        return colon < 0 ? text : text.substring(0, colon);
    }
}
