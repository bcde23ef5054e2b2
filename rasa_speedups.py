"""Less CPU per message in Rasa 3.6.21's own code, with the same results; applied by rasa_patches.

Every message costs a Rasa server tens of milliseconds of CPU, and on a two-core machine CPU is
what caps how many people one deployment can answer at once. Each change below was found with
py-spy under `make bench` and removes repeated work from the per-message path; none changes what
the assistant predicts or says (tests/integration/test_speedups.py compares every prediction and
every NLU parse against Rasa's own code paths, with `disabled(graph_runner)`).

1. Action responses: `jsonschema.validate` re-checked the constant response schema against the
   JSON-Schema meta-schema on every custom action call (40 % of server time). The schema is checked
   once and its validator kept; an invalid response raises the same error with Rasa's hint.
2. Event classes: `Event.resolve_by_type` walked every subclass of `Event` for every stored event
   on every tracker load (11 %). A table built from the same walk answers; unknown names still go
   to Rasa's lookup.
3. TensorFlow calls: DIET and TED call a `tf.function` whose input signature is fixed after the
   first call, yet TensorFlow re-canonicalises and re-checks the inputs against it on every call,
   which cost more than the model itself. After the first call we keep its concrete function and
   call it with the inputs converted to the signature's dtypes. Inputs of another rank or feature
   size go through TensorFlow's checked path, which raises its usual error.
4. Graph runs: Rasa runs its NLU and policy graphs through dask's scheduler, rebuilding the task
   graph for each of the 3-4 graph runs per message. The graphs are small and run on one thread
   anyway, so `SequentialGraphRunner` calls each needed node once, inputs before consumers.
5. Dialogue states: the Memoization, Rule and TED policies each rebuild the dialogue states by
   replaying the whole conversation, for the same tracker, in every prediction. Each tracker keeps
   the states it already built (keyed by its length and the options), and callers get a copy, since
   Rasa's featurizers edit the last state in place.
6. Predictions that cannot win: the ensemble picks the most confident prediction and, between
   equally confident ones, the policy of higher priority. When the RulePolicy (priority 6) is
   certain, memoization (3) and TED (1) cannot win, yet Rasa runs them for every prediction; in
   this rule-driven assistant that is nearly all of them, and TED is a fifth of a message's CPU.
   The sequential runner now computes those two plain policies last, in descending priority, and
   leaves one out when the predictions computed so far already hold a winner it cannot beat. The
   ensemble itself still combines what was computed, so the winner, its events and its
   probabilities are Rasa's (tested with and without certain rules).

Measured with `perf stat -e instructions` over 120 in-process messages (the same 6-turn
conversations as `make bench`, one TensorFlow thread): about 112 million instructions per message
with Rasa's code paths and about 93 million (17 % fewer) with 3.-5.; with the real action server and
SQLite store of `make bench-cpu`, 86 million with 1.-5. and 60 million with 1.-6. (30 % fewer).
`make bench-cpu` compares CPU time per message with all six and without, interleaved in one process.
"""
import contextlib
import copy
import functools
from typing import Any, Callable, Dict, Iterator, List, Optional, Text, Tuple, Type

_originals: List[Tuple[Any, Text, Any]] = []  # (owner, attribute, Rasa's value), for disabled()


def _replace(owner: Any, attribute: Text, value: Any) -> None:
    _originals.append((owner, attribute, owner.__dict__[attribute]))
    setattr(owner, attribute, value)


def _cached_action_result_validator() -> None:
    import jsonschema
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    schema = RemoteAction.action_response_format_spec()  # a constant schema, rebuilt per call by Rasa
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        try:
            validator.validate(result)
            return True
        except jsonschema.ValidationError as error:
            error.message += (
                ". Failed to validate Action server response from API, make sure your response from "
                f"the Action endpoint is valid. For more information about the format visit "
                f"{DOCS_BASE_URL}/custom-actions"
            )
            raise error

    _replace(RemoteAction, "_validate_action_result", validate_action_result)


def _event_class_table() -> None:
    import rasa.shared.utils.common
    from rasa.shared.core.events import Event

    original = Event.resolve_by_type
    table: Dict[Text, Type[Event]] = {}
    for cls in rasa.shared.utils.common.all_subclasses(Event):
        table.setdefault(cls.type_name, cls)  # first match wins, as in Rasa's loop

    def resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
        cls = table.get(type_name)
        return cls if cls is not None else original(type_name, default)

    _replace(Event, "resolve_by_type", staticmethod(resolve_by_type))


def _matches_signature(batch_in: Any, specs: List[Any]) -> bool:
    """Same number of inputs, same ranks, same fixed (last) dimensions as the traced signature."""
    return len(batch_in) == len(specs) and all(
        len(array.shape) == spec.shape.rank
        and (spec.shape[-1] is None or array.shape[-1] == spec.shape[-1])
        for array, spec in zip(batch_in, specs)
    )


def _direct_tensorflow_calls() -> None:
    import tensorflow as tf
    from keras.utils import tf_utils
    from rasa.shared.constants import DIAGNOSTIC_DATA
    from rasa.utils.tensorflow.models import RasaModel

    original = RasaModel._rasa_predict

    def _rasa_predict(self: RasaModel, batch_in: Any) -> Dict[Text, Any]:
        if self._run_eagerly or self._tf_predict_step is None:
            return original(self, batch_in)  # the first call traces the function
        concrete = self.__dict__.get("_concrete_predict_step")
        if concrete is None:
            concrete = self._concrete_predict_step = self._tf_predict_step.get_concrete_function()
        specs = concrete.structured_input_signature[0][0]
        if not _matches_signature(batch_in, specs):
            return original(self, batch_in)
        self._training = False
        tensors = [tf.convert_to_tensor(array, dtype=spec.dtype) for array, spec in zip(batch_in, specs)]
        outputs = tf_utils.sync_to_numpy_or_python_type(concrete._call_flat(tensors, concrete.captured_inputs))
        if DIAGNOSTIC_DATA in outputs:
            outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(outputs[DIAGNOSTIC_DATA])
        return outputs

    _replace(RasaModel, "_rasa_predict", _rasa_predict)


def _sequential_graph_runner() -> None:
    import rasa.core.processor
    from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
    from rasa.core.policies.memoization import MemoizationPolicy
    from rasa.core.policies.policy import PolicyPrediction
    from rasa.core.policies.ted_policy import TEDPolicy
    from rasa.engine.exceptions import GraphRunError
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.shared.nlu.constants import TEXT

    class SequentialGraphRunner(DaskGraphRunner):
        """Runs the nodes a run needs, each once and after its inputs, without dask's scheduler."""

        def run(self, inputs: Optional[Dict[Text, Any]] = None,
                targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
            nodes = self._graph_schema.nodes
            results: Dict[Text, Tuple[Text, Any]] = {}
            for name, value in (inputs or {}).items():
                if isinstance(value, str) and value in nodes:
                    raise GraphRunError(f"Input value '{value}' clashes with a node name. Make sure that none "
                                        f"of the input names passed to the `run` method are the same as node "
                                        f"names in the graph schema.")
                results[name] = (name, value)

            def output_of(name: Text) -> Tuple[Text, Any]:
                if name not in results:
                    if _is_default_ensemble(self._instantiated_nodes[name]):
                        needed = self._ensemble_inputs(name, output_of)
                    else:
                        needed = [output_of(need) for need in nodes[name].needs.values()]
                    results[name] = self._instantiated_nodes[name](*needed)
                return results[name]

            try:
                return dict(output_of(target) for target in (targets or self._graph_schema.target_names))
            except RuntimeError as error:
                raise GraphRunError("Error running runner.") from error

        def _ensemble_inputs(self, name: Text, output_of: Callable[[Text], Tuple[Text, Any]]) -> List[Any]:
            """The ensemble's inputs, leaving out predictions that cannot win (passed on as None).

            Every input is computed, except a policy that `_cannot_outrank_a_sure_prediction` once the
            predictions computed so far already hold a winner it cannot beat: one that is certain
            (confidence 1.0, after Rasa's zeroing of a rejected action) from a policy of higher
            priority, or a "no user" or end-to-end prediction, which overrule plain ones. Such
            policies are computed in descending priority, so a policy of higher priority runs first.
            """
            needs = self._graph_schema.nodes[name].needs
            deferrable = sorted(
                (node for node in needs.values() if _cannot_outrank_a_sure_prediction(self._component_of(node))),
                key=lambda node: self._component_of(node).priority, reverse=True,
            ) if "tracker" in needs and "domain" in needs else []
            inputs = [output_of(node) for node in needs.values() if node not in deferrable]
            for node in deferrable:
                computed = dict(inputs)
                predictions = [copy_prediction(value) for value in computed.values() if isinstance(value, PolicyPrediction)]
                best = DefaultPolicyPredictionEnsemble._best_policy_prediction(
                    predictions, computed[needs["tracker"]], computed[needs["domain"]]) if predictions else None
                if best is not None and (best.is_no_user_prediction or best.is_end_to_end_prediction or (
                        best.max_confidence >= 1.0 and best.policy_priority > self._component_of(node).priority)):
                    inputs.append((node, None))  # the ensemble only combines PolicyPrediction inputs
                else:
                    inputs.append(output_of(node))
            return inputs

        def _component_of(self, node: Text) -> Any:
            graph_node = self._instantiated_nodes.get(node)  # None for run inputs such as the tracker
            return graph_node.__dict__.get("_component") if graph_node is not None else None

    def _cannot_outrank_a_sure_prediction(component: Any) -> bool:
        """Policies whose predictions are plain: no events, never "no user", never end-to-end, and at
        most 1.0 confident. Memoization predicts 1.0 or nothing; TED's softmax scores stay within 1.0,
        and it predicts end-to-end only when trained on story texts (then it is always computed)."""
        return type(component) is MemoizationPolicy or (
            type(component) is TEDPolicy and TEXT not in component.fake_features)

    def _is_default_ensemble(node: Any) -> bool:
        return (type(node.__dict__.get("_component")) is DefaultPolicyPredictionEnsemble
                and node._fn_name == "combine_predictions_from_kwargs")

    def copy_prediction(prediction: PolicyPrediction) -> PolicyPrediction:
        duplicate = copy.copy(prediction)
        duplicate.probabilities = list(prediction.probabilities)  # the rejected action is zeroed in place
        return duplicate

    _replace(rasa.core.processor, "DaskGraphRunner", SequentialGraphRunner)


def _states_built_once_per_tracker() -> None:
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    original: Callable[..., List[Dict[Text, Any]]] = Domain.states_for_tracker_history

    def states_for_tracker_history(
        self: Domain, tracker: DialogueStateTracker, omit_unset_slots: bool = False,
        ignore_rule_only_turns: bool = False, rule_only_data: Optional[Dict[Text, Any]] = None,
    ) -> List[Dict[Text, Any]]:
        if type(tracker) is not DialogueStateTracker:  # training trackers cache states themselves
            return original(self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        key = (id(self), len(tracker.events), omit_unset_slots, ignore_rule_only_turns,
               repr(sorted(rule_only_data.items())) if rule_only_data else None)
        built = tracker.__dict__.setdefault("_states_by_options", {})
        if key not in built:
            built[key] = original(self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        # sub-state values are strings and tuples; copying two levels keeps the cached states intact
        return [{name: dict(sub_state) for name, sub_state in state.items()} for state in built[key]]

    _replace(Domain, "states_for_tracker_history", states_for_tracker_history)


def apply() -> None:
    """Install all six; idempotent."""
    if _originals:
        return
    _cached_action_result_validator()
    _event_class_table()
    _direct_tensorflow_calls()
    _sequential_graph_runner()
    _states_built_once_per_tracker()


@contextlib.contextmanager
def disabled(graph_runner: Any = None) -> Iterator[None]:
    """Rasa's own code paths for the duration, to compare results and costs against them.

    A model loaded while the speedups are on keeps its SequentialGraphRunner; pass it (the
    processor's `graph_runner`) to have it run through dask's scheduler for the duration too.
    """
    from rasa.engine.runner.dask import DaskGraphRunner

    installed = [(owner, attribute, owner.__dict__[attribute]) for owner, attribute, _ in _originals]
    for owner, attribute, value in _originals:
        setattr(owner, attribute, value)
    if graph_runner is not None:
        graph_runner.run = functools.partial(DaskGraphRunner.run, graph_runner)
    try:
        yield
    finally:
        if graph_runner is not None:
            del graph_runner.run
        for owner, attribute, value in installed:
            setattr(owner, attribute, value)
