#include "cli/app.hpp"

int main(int argc, char** argv) {
  return mend::cli::run(argc, argv);
}
