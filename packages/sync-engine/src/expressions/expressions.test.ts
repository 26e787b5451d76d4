import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SourceAttributes } from '../source-object.js';
import { compileExpression } from './compile.js';
import { ExpressionError } from './expression-error.js';
import type { ExprValue } from './values.js';

const now = new Date('2026-11-25T15:00:00.000Z');

function run(expression: string, attrs: SourceAttributes = {}): ExprValue {
  const r = compileExpression(expression).evaluate(attrs, { now });
  assert.equal(r.ignored, false, `${expression} was ignored`);
  return r.ignored ? null : r.value;
}

function syntaxError(expression: string, position: number, pattern: RegExp) {
  assert.throws(
    () => compileExpression(expression),
    (e: unknown) =>
      e instanceof ExpressionError &&
      e.kind === 'syntax' &&
      e.position === position &&
      pattern.test(e.message),
    `${expression} should fail at ${position}`,
  );
}

const bobby = {
  givenName: 'Bobby',
  sn: 'Tables',
  mail: 'bobby@contoso.com',
  userPrincipalName: 'bobby@contoso.com',
  proxyAddresses: ['SMTP:bobby@contoso.com', 'smtp:bt@contoso.com', 'smtp:bt@contoso.com'],
  userAccountControl: '514',
  telephoneNumber: '+91 9998887777',
  mobile: '+1 (999) 888-7777',
};

test('documented examples give the documented outputs', () => {
  assert.equal(run('Append([userPrincipalName], ".test")', bobby), 'bobby@contoso.com.test');
  assert.equal(run('Coalesce([mail],[userPrincipalName])', { userPrincipalName: 'j@c.com' }), 'j@c.com');
  assert.equal(run('ConvertToBase64("Hello world!")'), 'SABlAGwAbABvACAAdwBvAHIAbABkACEA');
  assert.equal(run('ConvertToUTF8Hex("Hello world!")'), '48656C6C6F20776F726C6421');
  assert.equal(run('BitAnd(&HF, &HF7)'), 7);
  assert.equal(run('InStr("The quick brown fox","quick")'), 5);
  assert.equal(run('InStr("repEated","e",3,vbBinaryCompare)'), 7);
  assert.equal(run('Left("John Doe", 3)'), 'Joh');
  assert.equal(run('NormalizeDiacritics("Zoë")'), 'Zoe');
  assert.equal(run('Word("The quick brown fox",3," ")'), 'brown');
  assert.equal(run('Word("This,string!has&many separators",3,",!&#")'), 'has');
  assert.equal(run('Join(", ", "", [sn], [givenName])', bobby), 'Tables, Bobby');
  assert.equal(run('Append(Mid([givenName], 1, 3), Mid([sn], 1, 5))', bobby), 'BobTable');
  assert.equal(run('Replace([mail], "@contoso.com", , ,"", ,)', bobby), 'bobby');
  assert.equal(
    run('Replace([UserID],"<username>", , , , , "<username>@contoso.com")', { UserID: 'jsmith' }),
    'jsmith@contoso.com',
  );
  assert.equal(
    run(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: .NET's ${group} reference, not a template
      'Replace([telephoneNumber], , "\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})", , "${phoneNumber}", , )',
      bobby,
    ),
    '9998887777',
  );
  assert.equal(
    run('Replace([mobile], , "[()\\\\s-]+", , "", , )', { mobile: '1 (999) 888-7777' }),
    '19998887777',
  );
  assert.equal(
    run('Replace([a], ,"(?<streetNumber>^\\\\d*)","streetNumber", "888", , )', { a: '545 Tremont Street' }),
    '888 Tremont Street',
  );
  assert.equal(run('Replace([userPrincipalName], , "(?<Suffix>@(.)*)", "Suffix", "", , )', bobby), 'bobby');
  assert.equal(
    run('Replace([a], , "(\\d+)-(?<n>\\d+)", "n", "X", , )', { a: '12-1 and 7-77' }),
    '12-X and 7-X',
    'the group span, not the first equal text in the match',
  );
  assert.equal(
    run(
      'Replace([telephoneNumber], , "\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})", "phoneNumber" , , [mobile], )',
      {
        telephoneNumber: '',
        mobile: '+91 8887779999',
      },
    ),
    '8887779999',
  );
  assert.equal(
    run('Replace([mailNickname], , "[a-zA-Z_]*", , "", , )', { mailNickname: 'john_doe72' }),
    '72',
  );
  assert.deepEqual(run('Split([x], ",")', { x: 'PermissionSetOne,PermissionSetTwo' }), [
    'PermissionSetOne',
    'PermissionSetTwo',
  ]);
  assert.equal(run('PCase([x])', { x: 'PABLO GONSALVES (SECOND)' }), 'Pablo Gonsalves (Second)');
  assert.equal(run('PCase([x]," \'-")', { x: "PINTO-DE'SILVA" }), "Pinto-De'Silva");
  assert.equal(
    run('Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney","QLD", "Australia/Brisbane")', {
      state: 'QLD',
    }),
    'Australia/Brisbane',
  );
  assert.equal(
    run('IIF([country]="USA",[country],[department])', { country: 'FR', department: 'Sales' }),
    'Sales',
  );
  assert.equal((run('DateFromNum(129699324000000000)') as Date).toISOString(), '2012-01-01T23:00:00.000Z');
  assert.equal(run('Item([proxyAddresses], 1)', bobby), 'SMTP:bobby@contoso.com');
});

test('accountEnabled from userAccountControl', () => {
  const e = 'IIF(BitAnd([userAccountControl], 2) = 2, False, True)';
  assert.equal(run(e, { userAccountControl: '514' }), false);
  assert.equal(run(e, { userAccountControl: '512' }), true);
  assert.equal(run('Not(BitAnd([userAccountControl], 2))', { userAccountControl: '66048' }), true);
});

test('multi-valued attributes: string functions map over values; Count, RemoveDuplicates, Join', () => {
  assert.deepEqual(run('ToLower([proxyAddresses])', bobby), [
    'smtp:bobby@contoso.com',
    'smtp:bt@contoso.com',
    'smtp:bt@contoso.com',
  ]);
  assert.equal(run('Count([proxyAddresses])', bobby), 3);
  assert.deepEqual(run('RemoveDuplicates([proxyAddresses])', bobby), [
    'SMTP:bobby@contoso.com',
    'smtp:bt@contoso.com',
  ]);
  assert.equal(run('Join(";", [proxyAddresses])', { proxyAddresses: ['a', 'b'] }), 'a;b');
  assert.equal(run('Count([missing])'), 0);
  assert.equal(run('Item([proxyAddresses], 9)', bobby), null);
});

test('missing attributes: null flows through, presence tests, Coalesce, Switch on ""', () => {
  assert.equal(run('[missing]'), null);
  assert.equal(run('ToUpper([missing])'), null);
  assert.equal(run('IsPresent([missing])'), false);
  assert.equal(run('IsNullOrEmpty([missing])'), true);
  assert.equal(run('IsNull([missing])'), true);
  assert.equal(run('Coalesce([missing], [other], "fallback")'), 'fallback');
  assert.equal(run('Coalesce([missing])'), null);
  assert.equal(run('Switch([country],[country],"","Other")'), 'Other');
  assert.equal(run('IIF([country]="","Other",[country])'), 'Other');
  assert.equal(run('Left([missing], 3)'), '');
  assert.equal(run('Join(" ", [missing], [sn])', bobby), 'Tables');
});

test('IgnoreFlowIfNullOrEmpty drops an empty result', () => {
  const e = compileExpression('IgnoreFlowIfNullOrEmpty([department])');
  assert.deepEqual(e.evaluate({}), { ignored: true });
  assert.deepEqual(e.evaluate({ department: 'R&D' }), { ignored: false, value: 'R&D' });
});

test('SelectUniqueValue asks the caller about uniqueness, in order', () => {
  const e = compileExpression(
    'SelectUniqueValue(Join("@", NormalizeDiacritics(StripSpaces(Join(".", [givenName], [sn]))), "contoso.com"), Join("@", Join(".", Mid([givenName], 1, 1), [sn]), "contoso.com"))',
  );
  const taken = new Set(['Jéssica.Smith@contoso.com', 'Jessica.Smith@contoso.com']);
  const r = e.evaluate({ givenName: 'Jéssica', sn: 'Smith' }, { isUnique: (v) => !taken.has(v) });
  assert.deepEqual(r, { ignored: false, value: 'J.Smith@contoso.com' });
  taken.add('J.Smith@contoso.com');
  assert.throws(
    () => e.evaluate({ givenName: 'Jéssica', sn: 'Smith' }, { isUnique: (v) => !taken.has(v) }),
    ExpressionError,
  );
});

test('Unicode and long values', () => {
  const long = 'ä'.repeat(1000);
  assert.equal(run('ToUpper([x])', { x: long }), 'Ä'.repeat(1000));
  assert.equal(run('Left([x], 2)', { x: '😀😃x' }), '😀😃');
  assert.equal(
    run('NormalizeDiacritics([x])', { x: 'Ørsted Łukasz Ærø Straße Çağrı' }),
    'OErsted Lukasz AEroe Strasse Cagri',
  );
  assert.equal(run('NormalizeDiacritics([x])', { x: 'がぎ 한국어 Ελληνικά' }), 'がぎ 한국어 Ελληνικα');
  assert.equal(run('StripSpaces([x])', { x: ' a b\tc ' }), 'ab\tc');
  assert.equal(run('Trim([x])', { x: '\u00a0 x \n' }), 'x');
  assert.equal(run('ToLower([x], "tr-TR")', { x: 'I' }), 'ı');
  assert.equal(run('ToLower([x], "en-US-u")', { x: 'I' }), 'i', 'an invalid culture falls back to invariant');
  assert.equal(run('ToUpper([x], "de-DE-de-DE")', { x: 'ß' }), 'SS');
});

test('binary attributes: base64 and SIDs', () => {
  const sid = new Uint8Array(Buffer.from('01020000000000052000000020020000', 'hex'));
  assert.equal(run('ConvertSidToString([objectSid])', { objectSid: sid }), 'S-1-5-32-544');
  assert.equal(
    run('ConvertToBase64([objectGUID])', { objectGUID: new Uint8Array(16) }),
    'AAAAAAAAAAAAAAAAAAAAAA==',
  );
});

test('syntax errors name the position', () => {
  syntaxError('Join(" ", [givenName]', 21, /expected , or \)/);
  syntaxError('Foo([x])', 0, /unknown function Foo/);
  syntaxError('Left([x])', 0, /Left takes 2 arguments, got 1/);
  syntaxError('Switch([x], "a", "b")', 0, /even number/);
  syntaxError('ToLower([x) ', 8, /closing \]/);
  syntaxError('"abc', 0, /closing quote/);
  syntaxError('[givenName] [sn]', 12, /unexpected \[sn\]/);
  syntaxError('Append(givenName, "x")', 7, /unknown name givenName/);
  syntaxError('ToLower(SelectUniqueValue([a], [b]))', 8, /must be the whole expression/);
  syntaxError('SingleAppRoleAssignment([appRoleAssignments])', 0, /not supported/);
  syntaxError('[a] = [b] = [c]', 10, /chained/);
  syntaxError('Join(";", [a]) %', 15, /unexpected character/);
  syntaxError('', 0, /expected a value/);
  syntaxError(`${'Trim('.repeat(100)}[x]${')'.repeat(100)}`, 325, /nested deeper/);
});

test('evaluation errors name the position of the failing argument', () => {
  assert.throws(
    () => run('Mid([x], 0, 2)', { x: 'abc' }),
    (e: unknown) => e instanceof ExpressionError && e.kind === 'evaluation' && e.position === 9,
  );
  assert.throws(
    () => run('ConvertSidToString([objectSid])', { objectSid: new Uint8Array(5) }),
    (e: unknown) => e instanceof ExpressionError && /SID/.test(e.message) && e.position === 19,
  );
  assert.throws(() => run('Replace([x], , "(", , "", , )', { x: 'a' }), /invalid regular expression/);
  assert.throws(() => run('BitAnd([x], 2)', { x: 'abc' }), /BitAnd takes integers/);
});

test('pointAt shows a caret under the failing position', () => {
  try {
    compileExpression('Join(" ", Foo([a]))');
    assert.fail('should throw');
  } catch (e) {
    assert.ok(e instanceof ExpressionError);
    assert.equal(e.pointAt('Join(" ", Foo([a]))'), 'Join(" ", Foo([a]))\n          ^');
  }
});

test('referenced attributes are listed once each', () => {
  assert.deepEqual(compileExpression('Coalesce([mail], [MAIL], IIF([x]="1", [y], [mail]))').attributes, [
    'mail',
    'x',
    'y',
  ]);
});

test('random expressions never throw anything but ExpressionError (fuzz)', () => {
  const pieces = [
    'Join(',
    'Left(',
    '[a]',
    '"s"',
    ',',
    ')',
    '(',
    '1',
    '&H',
    '=',
    '<>',
    'IIF(',
    ' ',
    ']',
    '[',
    '"',
    '\\',
    'Mid(',
    'x',
  ];
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = 0; i < 3000; i++) {
    const text = Array.from(
      { length: 1 + Math.floor(rand() * 12) },
      () => pieces[Math.floor(rand() * pieces.length)],
    ).join('');
    try {
      compileExpression(text).evaluate({ a: 'v' }, { now });
    } catch (e) {
      assert.ok(e instanceof ExpressionError, `${text}: ${String(e)}`);
    }
  }
});

test('FormatDateTime: the documented example, Generalized Time in, ISO out, offsets, bad input', () => {
  assert.equal(
    run('FormatDateTime([x], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")', { x: '20150123105347.1Z' }),
    '2015-01-23',
  );
  assert.equal(
    run('FormatDateTime([whenCreated], , "yyyyMMddHHmmss.fZ", "yyyy-MM-ddTHH:mm:ss.fffZ")', {
      whenCreated: '20261125150404.0Z',
    }),
    '2026-11-25T15:04:04.000Z',
  );
  assert.equal(
    run('FormatDateTime([x], , "yyyy-MM-ddzzz", "yyyy-MM-dd HH:mm")', { x: '2020-12-31-08:00' }),
    '2020-12-31 08:00',
  );
  assert.equal(
    run('FormatDateTime([x], "M/d/yyyy h:mm:ss tt", "dd MMM yyyy")', { x: '3/16/2020 7:05:00 PM' }),
    '16 Mar 2020',
  );
  assert.equal(run('FormatDateTime(DateFromNum(129699324000000000), "", "yyyy-MM-dd")'), '2012-01-01');
  assert.equal(run('FormatDateTime([missing], , "yyyy", "yyyy")'), null);
  assert.throws(
    () => run('FormatDateTime([x], , "yyyyMMdd", "yyyy")', { x: '2015-01-23' }),
    /does not match/,
  );
  assert.throws(() => run('FormatDateTime([x], , "yyyyMMdd", "yyyy")', { x: '20150230' }), /does not match/);
});
