import { defineMethod, Type, UnitError } from '../../../harness/plugin-api.js';
import { ActionModel } from './action-model.js';

/**
 * The non-LLM reference for next-action prediction: first-order
 * action frequencies of the training sessions. What an LLM simulator must
 * beat to be worth its cost on OPeRA.
 */
export default defineMethod({
  name: 'markov',
  version: 1,
  description:
    'Non-LLM reference for next-action: the most frequent next action class after the previous one in training sessions, on the page element most used for it.',
  options: Type.Object({}, { additionalProperties: false }),
  usesLlm: false,
  capabilities: ['nextAction'],
  choices: [
    'markov: first order (the previous action class: type and click type); a class whose element is not on the page is skipped for the next most frequent',
    'markov: targets by exact semantic id when seen in training, else by shape (first and last parts of the id); input text is the one most typed into that shape',
  ],
  async create() {
    let model: ActionModel | null = null;
    return {
      async fitSessions(train) {
        model = new ActionModel(train.sessions);
      },
      async nextAction(step) {
        if (!model)
          throw new UnitError(
            'method',
            'markov was not fitted: it needs a sessions dataset (opera, synthetic-sessions)',
          );
        return model.predict(step.history, step.observation);
      },
    };
  },
});
