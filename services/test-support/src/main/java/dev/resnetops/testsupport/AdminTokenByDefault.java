package dev.resnetops.testsupport;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;

/**
 * Requests of a module's REST Assured tests carry an admin token unless they say otherwise
 * ({@code given().auth().none()}, or another token): tests of datasets, jobs or images are about those, not
 * about access, which each service's access tests cover role by role. A module opts in by naming this class
 * in {@code src/test/resources/META-INF/services/io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback}.
 */
public class AdminTokenByDefault implements QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        RestAssured.authentication = RestAssured.oauth2(TestTokens.forRole("admin"));
    }
}
