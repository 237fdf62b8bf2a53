package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice completion} prints picocli's bash/zsh script, which bash loads and which completes the commands. */
class CompletionCommandTest {

    @Test
    void the_script_loads_in_bash_and_completes_commands_and_options(@TempDir Path directory) throws Exception {
        StringWriter out = new StringWriter();
        int exitCode = Sluice.commandLine().setOut(new PrintWriter(out, true)).execute("completion");

        assertThat(exitCode).isZero();
        assertThat(out.toString()).contains("complete -F _complete_sluice", "list", "status", "nodes", "watch");
        Path script = Files.writeString(directory.resolve("sluice-completion.bash"), out.toString());
        // Completes as bash would after "sluice li<TAB>" and "sluice list --ow<TAB>".
        Process bash = new ProcessBuilder("bash", "-c", "source '" + script + "' && "
                + "COMP_WORDS=(sluice li); COMP_CWORD=1; COMP_LINE='sluice li'; COMP_POINT=9; _complete_sluice; "
                + "echo \"${COMPREPLY[@]}\"; "
                + "COMP_WORDS=(sluice list --ow); COMP_CWORD=2; COMP_LINE='sluice list --ow'; COMP_POINT=16; "
                + "_complete_sluice; echo \"${COMPREPLY[@]}\"").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String completed = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.exitValue()).as(completed).isZero();
        assertThat(completed.lines().toList()).containsExactly("list", "--owner");
    }
}
