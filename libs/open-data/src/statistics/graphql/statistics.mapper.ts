import type { GroupFigures, StatisticsTable } from '../domain/statistics.js';
import type { PeopleCell } from '../domain/suppression.js';
import { MINIMUM_PEOPLE_PER_CELL } from '../domain/suppression.js';
import {
  SuppressionReasonEnum,
  type StatisticCellModel,
  type StatisticsGroupingEnum,
  type StatisticsGroupModel,
  type StatisticsModel,
} from './models/statistics.model.js';

function cellFrom(cell: PeopleCell): StatisticCellModel {
  if (!cell.suppressed) return { value: cell.value, suppressed: false, reason: null };
  return {
    value: null,
    suppressed: true,
    reason:
      cell.reason === 'secondary'
        ? SuppressionReasonEnum.SECONDARY
        : SuppressionReasonEnum.FEWER_THAN_MINIMUM,
  };
}

function groupFrom(group: GroupFigures): StatisticsGroupModel {
  const { evaluations, attendance } = group;
  return {
    key: group.key,
    label: group.label,
    commitments: group.commitments,
    milestones: group.milestones,
    dialogueSpaces: group.dialogueSpaces,
    evaluations: {
      count: cellFrom(evaluations.count),
      meanClarity: cellFrom(evaluations.meanClarity),
      meanProgress: cellFrom(evaluations.meanProgress),
      meanDialogueUsefulness: cellFrom(evaluations.meanDialogueUsefulness),
      shareAnswered: cellFrom(evaluations.shareAnswered),
      medianDaysToAnswer: cellFrom(evaluations.medianDaysToAnswer),
    },
    attendance: {
      total: cellFrom(attendance.total),
      meanPerSpace: cellFrom(attendance.meanPerSpace),
    },
  };
}

export function statisticsFrom(
  table: StatisticsTable,
  groupBy: StatisticsGroupingEnum,
  asOf: string,
): StatisticsModel {
  return {
    groupBy,
    asOf,
    minimumPeople: MINIMUM_PEOPLE_PER_CELL,
    groups: table.groups.map(groupFrom),
    total: groupFrom(table.total),
  };
}
