package dev.taskq.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.TaskqException;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

  @Test
  void the_uri_form_psql_accepts_becomes_a_jdbc_url_with_user_and_password_as_properties() {
    DatabaseUrl u =
        DatabaseUrl.parse(
            "TASKQ_DATABASE_URL",
            "postgresql://ann:s%40cr%3Aet@db.example:6543/shop?sslmode=require");

    assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/shop");
    Properties p = u.properties();
    assertThat(p.getProperty("user")).isEqualTo("ann");
    assertThat(p.getProperty("password")).isEqualTo("s@cr:et");
    assertThat(p.getProperty("sslmode")).isEqualTo("require");
    assertThat(u.hasPassword()).isTrue();
  }

  @Test
  void the_password_never_shows_in_the_redacted_form_nor_in_to_string() {
    DatabaseUrl u = DatabaseUrl.parse("x", "postgres://ann:hunter2@h/db?application_name=z");

    assertThat(u.redacted()).isEqualTo("postgresql://ann:***@h/db").doesNotContain("hunter2");
    assertThat(u.toString()).doesNotContain("hunter2");
  }

  @Test
  void jdbc_urls_are_accepted_and_their_password_parameter_is_kept_out_of_sight() {
    DatabaseUrl u =
        DatabaseUrl.parse(
            "x", "jdbc:postgresql://h1:5432,h2:5433/app?user=bo&password=pw&ssl=true");

    assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://h1:5432,h2:5433/app");
    assertThat(u.properties().getProperty("password")).isEqualTo("pw");
    assertThat(u.properties().getProperty("ssl")).isEqualTo("true");
    assertThat(u.redacted()).doesNotContain("pw");
  }

  @Test
  void without_a_password_pgjdbc_reads_the_password_file_and_the_database_defaults_to_the_user() {
    DatabaseUrl u = DatabaseUrl.parse("x", "postgresql://ann@db");

    assertThat(u.hasPassword()).isFalse();
    assertThat(u.properties().getProperty("password")).isNull();
    assertThat(u.database()).isEqualTo("ann");
    assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db/ann");
  }

  @Test
  void bad_urls_are_refused_naming_the_field_and_never_repeating_the_text() {
    String[] bad = {
      "",
      "mysql://u:topsecret@h/db",
      "postgresql://u:topsecret@h:99999/db",
      "postgresql://u:topsecret@h:port/db",
      "postgresql://u:topsecret@h/db?sslmod=require",
      "postgresql://u:top%zzsecret@h/db",
      "postgresql://u:topsecret@h/db?host=/var/run/postgresql"
    };
    for (String text : bad) {
      TaskqException e =
          catchThrowableOfType(
              TaskqException.class, () -> DatabaseUrl.parse("TASKQ_DATABASE_URL", text));
      assertThat(e).as(text).isNotNull();
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
      assertThat(e.field()).isEqualTo("TASKQ_DATABASE_URL");
      assertThat(e.getMessage()).as(text).doesNotContain("topsecret");
    }
  }
}
