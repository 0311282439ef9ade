// mend __complete: the hidden helper of the shell completions.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

#include "harness.hpp"

using mend::test::Sandbox;

TEST_CASE("mend __complete prints nothing and creates nothing when there is no database") {
  Sandbox s;
  for (const char* what : {"cases", "categories", "customers"}) {
    const auto r = s.run({"__complete", what});
    CHECK(r.code == 0);
    CHECK(r.out.empty());
    CHECK(r.err.empty());
  }
  CHECK_FALSE(std::filesystem::exists(s.db));
}

TEST_CASE("mend __complete cases lists open cases first with one-line safe summaries") {
  Sandbox s;
  s.ok({"open", "Ada", "Parcel arrived damaged"});
  s.ok({"open", "Bob", "Red \x1b[31malert\tand a tab"});
  s.ok({"open", "Cy", "Invoice charged twice"});
  // Case 3 closed (by hand until resolve exists): it comes after every open case.
  mend::test::run_sql(s.db, "UPDATE cases SET status = 'closed' WHERE id = 3");
  CHECK(s.ok({"__complete", "cases"}) ==
        "2\tRed ^[[31malert and a tab\n"
        "1\tParcel arrived damaged\n"
        "3\tInvoice charged twice\n");
}

TEST_CASE("mend __complete categories and customers list what the database knows") {
  Sandbox s;
  s.ok({"open", "Ada Lovelace", "One", "--category", "delivery"});
  s.ok({"open", "Bob Stone", "Two", "--category", "billing"});
  s.ok({"open", "Ada Lovelace", "Three", "--category", "delivery"});
  CHECK(s.ok({"__complete", "categories"}) == "delivery\t2 cases\nbilling\t1 case\n");
  CHECK(s.ok({"__complete", "customers"}) == "2\tBob Stone\n1\tAda Lovelace\n");
  s.ok({"edit", "1", "--email", "ada@example.com"});
  s.ok({"open", "Ada Lovelace", "Four", "--email", "other.ada@example.com"});  // another Ada
  // Names for list --customer: each once, described by the most recent customer.
  CHECK(s.ok({"__complete", "customer-names"}) ==
        "Ada Lovelace\tcustomer 3\nBob Stone\tcustomer 2\n");
}

TEST_CASE("mend __complete is hidden from mend --help and rejects an unknown word") {
  Sandbox s;
  CHECK(s.ok({"--help"}).find("__complete") == std::string::npos);
  const auto r = s.run({"__complete", "tags"});
  CHECK(r.code == 64);
  CHECK(r.out.empty());
}

TEST_CASE("mend __complete honours --db") {
  Sandbox s;
  const std::string other = s.dir + "/other.db";
  s.ok({"--db", other, "open", "Ada", "Elsewhere"});
  CHECK(s.ok({"__complete", "cases"}).empty());
  CHECK(s.ok({"--db", other, "__complete", "cases"}) == "1\tElsewhere\n");
}
