import { Inject, Module, type DynamicModule } from '@nestjs/common';
import {
  Args,
  Context,
  Field,
  InputType,
  Mutation,
  ObjectType,
  Query,
  Resolver,
} from '@nestjs/graphql';
import { EVENT_STORE, type EventStore } from '#event-store';
import {
  Allow,
  authorizationOf,
  CommandHandler,
  CommandInput,
  commandRequest,
  CommandResultModel,
  commandResultModel,
  CurrentActor,
  PersonalDataAuthorizationInput,
  PersonalDataStore,
  personalValueOf,
  PersonalValueModel,
  type Actor,
  type PersonalPlaceholder,
} from '#platform';
import { NOTES_STREAM, type LeaveNote } from './notes.stream.js';

@InputType('LeaveTestNoteInput')
class LeaveTestNoteInput extends CommandInput {
  @Field() noteId: string;
  @Field() about: string;
  @Field() text: string;
  @Field(() => String, { nullable: true }) contact?: string | null;
  @Field(() => [String], { nullable: true }) groups?: string[] | null;
  @Field(() => PersonalDataAuthorizationInput, { nullable: true })
  authorization?: PersonalDataAuthorizationInput | null;
}

@ObjectType('TestNote')
class TestNoteModel {
  @Field() noteId: string;
  @Field() about: string;
  @Field(() => PersonalValueModel) text: PersonalValueModel;
  @Field(() => PersonalValueModel, { nullable: true }) contact: PersonalValueModel | null;
  @Field(() => PersonalValueModel, { nullable: true }) groups: PersonalValueModel | null;
}

const HANDLER = Symbol('NOTES_HANDLER');

@Resolver()
class TestNotesResolver {
  constructor(
    @Inject(HANDLER) private readonly handler: CommandHandler<LeaveNote, never, never, never>,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(PersonalDataStore) private readonly store: PersonalDataStore,
  ) {}

  @Allow('anonymous')
  @Mutation(() => CommandResultModel)
  async leaveTestNote(
    @CurrentActor() actor: Actor,
    @Args('input') input: LeaveTestNoteInput,
  ): Promise<CommandResultModel> {
    const { authorization, ...rest } = input;
    const request = commandRequest<LeaveNote>(actor, 'LeaveNote', rest as CommandInput);
    // Each note is a new pseudonymous subject: a subject id is never taken from the input.
    request.personal = { authorization: authorizationOf(authorization) };
    return commandResultModel(await this.handler.handle(request), true);
  }

  @Allow('anonymous')
  @Query(() => TestNoteModel, { nullable: true })
  async testNote(
    @CurrentActor() actor: Actor,
    @Context() context: object,
    @Args('noteId') noteId: string,
  ): Promise<TestNoteModel | null> {
    const [event] = await this.events.readStream(`note-${noteId}`);
    if (event === undefined) return null;
    const data = event.data as Record<string, unknown>;
    const request = { context, actor, store: this.store };
    // The answering agency's stewards would see contact and groups; this test context's is `planeacion`.
    const show = (member: unknown) =>
      member === undefined
        ? null
        : personalValueOf(member as PersonalPlaceholder, request, 'planeacion');
    return {
      noteId: String(data.noteId),
      about: String(data.about),
      text: (await show(data.text)) as PersonalValueModel,
      contact: await show(data.contact),
      groups: await show(data.groups),
    };
  }
}

@Module({})
export class TestNotesModule {
  static forRoot(): DynamicModule {
    return {
      module: TestNotesModule,
      providers: [
        {
          provide: HANDLER,
          inject: [EVENT_STORE, PersonalDataStore],
          useFactory: (events: EventStore, store: PersonalDataStore) =>
            new CommandHandler(events, NOTES_STREAM, { personalData: store }),
        },
        TestNotesResolver,
      ],
    };
  }
}
