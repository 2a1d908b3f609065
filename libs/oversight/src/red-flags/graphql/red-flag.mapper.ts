import { RULES, type RedFlag, type Thresholds } from '../domain/index.js';
import {
  RedFlagStateEnum,
  RedFlagSubjectKindEnum,
  type RedFlagModel,
  type RedFlagRulesModel,
} from './models/red-flag.model.js';

/** A flag as the API shows it: the same values `cuenta flags` prints. */
export function redFlagModel(flag: RedFlag): RedFlagModel {
  return {
    ...flag,
    subject: { ...flag.subject, kind: flag.subject.kind as RedFlagSubjectKindEnum },
    state: flag.state as RedFlagStateEnum,
  };
}

/** The rules and the thresholds in force. */
export function redFlagRulesModel(thresholds: Thresholds): RedFlagRulesModel {
  return {
    rules: RULES.map((rule) => ({
      code: rule.code,
      version: rule.version,
      title: rule.title.en,
      titleEs: rule.title.es,
      why: rule.why.en,
      whyEs: rule.why.es,
      thresholds: rule.thresholds.map((name) => ({ name, value: thresholds[name] })),
      timeDependent: rule.timeDependent,
    })),
    thresholds: { ...thresholds },
  };
}
