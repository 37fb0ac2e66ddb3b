// Building a routine from code with regimen::RoutineBuilder: the primer, then two exercises of
// the embedded back-care pack with their own prescriptions. The builder checks every block
// against the catalog and each exercise's safe ranges, and reports every problem with its path.
//
//   build_routine            prints the routine (text format) and its estimated duration
#include <iostream>
#include <string>

#include "regimen/catalog.h"
#include "regimen/format.h"
#include "regimen/routine_builder.h"

int main() {
  const regimen::Catalog& pack = regimen::Catalog::Default();

  absl::StatusOr<regimen::v1::Routine> routine = regimen::RoutineBuilder(pack)
                                                     .Id("my_back_routine")
                                                     .Name("My back routine")
                                                     .Add("grow_through_spine")
                                                     .RestAfterMs(10000)
                                                     .Add("prone_lift")
                                                     .Sets(2)
                                                     .Reps(6)
                                                     .HoldBreaths(2)
                                                     .Tempo(2000, 2000)
                                                     .RestBetweenSetsMs(15000)
                                                     .RestAfterMs(10000)
                                                     .Add("prone_leg_lift")
                                                     .Reps(5)
                                                     .Bias(regimen::v1::LEFT, 1)
                                                     .LeadCue("even_out_sides")
                                                     .Build();
  if (!routine.ok()) {
    std::cerr << "build_routine: " << routine.status().message() << "\n";
    return 1;
  }
  absl::StatusOr<std::string> text = regimen::SerializeMessage(*routine, regimen::Format::kText);
  if (!text.ok()) {
    std::cerr << "build_routine: " << text.status().message() << "\n";
    return 1;
  }
  std::cout << *text;
  std::cout << "# estimated duration: " << routine->estimated_duration_ms() / 1000 << " s\n";

  // A prescription outside the safe ranges is refused, with the path of the field.
  absl::StatusOr<regimen::v1::Routine> too_much = regimen::RoutineBuilder(pack)
                                                      .Id("too_much")
                                                      .Add("grow_through_spine")
                                                      .Add("prone_lift")
                                                      .Reps(20)
                                                      .Build();
  std::cout << "# refused: " << too_much.status().message() << "\n";
  // So is a routine that does not start with the primer (grow through the spine first).
  absl::StatusOr<regimen::v1::Routine> no_primer =
      regimen::RoutineBuilder(pack).Id("no_primer").Add("prone_lift").Build();
  std::cout << "# refused: " << no_primer.status().message() << "\n";
  return too_much.ok() || no_primer.ok() ? 1 : 0;
}
