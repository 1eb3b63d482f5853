package dev.taskq.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestIdHintTest {
  @Test
  void finds_a_numeric_id_before_the_params() {
    assertThat(RequestIdHint.find("{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"x\",\"params\":{}}"))
        .isEqualTo(42L);
  }

  @Test
  void finds_an_id_after_the_params_as_the_typescript_sdk_writes_it() {
    assertThat(
            RequestIdHint.find(
                "{\"method\":\"tools/call\",\"params\":{\"a\":[1,2,{\"b\":\"}\"}]},"
                    + "\"jsonrpc\":\"2.0\",\"id\":7}"))
        .isEqualTo(7L);
  }

  @Test
  void finds_a_string_id_between_other_keys() {
    assertThat(RequestIdHint.find("{\"params\":{},\"id\":\"abc-1\",\"method\":\"m\"}"))
        .isEqualTo("abc-1");
  }

  @Test
  void ignores_an_id_inside_the_params() {
    assertThat(
            RequestIdHint.find(
                "{\"params\":{\"arguments\":{\"id\":\"task-1\"}},\"method\":\"m\",\"id\":3}"))
        .isEqualTo(3L);
    assertThat(RequestIdHint.find("{\"params\":{\"id\":5},\"method\":\"m\"}")).isNull();
  }

  @Test
  void ignores_escaped_quotes_and_braces_inside_strings() {
    assertThat(RequestIdHint.find("{\"params\":{\"s\":\"\\\"id\\\":9 }\"},\"id\":11}"))
        .isEqualTo(11L);
  }

  @Test
  void finds_the_id_of_json_nested_far_deeper_than_a_parser_allows() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertThat(RequestIdHint.find("{\"jsonrpc\":\"2.0\",\"params\":" + deep + ",\"id\":99}"))
        .isEqualTo(99L);
  }

  @Test
  void text_that_is_not_json_has_no_id() {
    assertThat(RequestIdHint.find("hello \"id\": 4")).isNull();
  }
}
