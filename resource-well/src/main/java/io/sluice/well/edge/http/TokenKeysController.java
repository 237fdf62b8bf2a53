package io.sluice.well.edge.http;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.sluice.well.store.provision.token.TokenSigningKeys;
import java.sql.SQLException;

/** Serves the public keys of the well's tokens as a JWKS, so an external system can verify a token it is shown. */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class TokenKeysController {

    private final TokenSigningKeys keys;

    public TokenKeysController(TokenSigningKeys keys) {
        this.keys = keys;
    }

    @Get(value = "/.well-known/jwks.json", produces = MediaType.APPLICATION_JSON)
    public String jwks() throws SQLException {
        return keys.publicKeysJson();
    }
}
